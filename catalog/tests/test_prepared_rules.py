"""The catalog's rules in force are a prepared read (core.prepared) with a day among its arguments:
it must return what its builder returns on every day (on SQLite and on PostgreSQL in CI)."""

from __future__ import annotations

import datetime

import pytest

from catalog import policies
from catalog.models import MajorDecisionRule
from catalog.services import major
from org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_days_are_arguments_too():
    """A day reaches the SQL as a parameter (a date on PostgreSQL, its text on SQLite): the rules in
    force are the builder's on every day, including before a rule started and after it ended."""
    read = major._RULES_IN_FORCE
    agency = AgencyFactory()
    chain = [*policies.agency_chain(agency), 0, 0, 0][:4]
    rule = MajorDecisionRule.objects.order_by("pk").first()
    assert rule is not None
    MajorDecisionRule.objects.filter(pk=rule.pk).update(
        effective_from=datetime.date(2024, 3, 1), effective_until=datetime.date(2025, 3, 1)
    )
    seen = set()
    for day in (
        datetime.date(2024, 2, 29),
        datetime.date(2024, 3, 1),
        datetime.date(2025, 2, 28),
        datetime.date(2025, 3, 1),
        datetime.date.today(),
    ):
        prepared = sorted(r.pk for r in read(*chain, day))
        assert prepared == sorted(r.pk for r in read.build(*chain, day)), day
        assert prepared == sorted(r.pk for r in major.rules_in_force(agency=agency, on=day)), day
        seen.add(rule.pk in prepared)
    assert seen == {True, False}  # the dates made a difference, so the comparison compared something
