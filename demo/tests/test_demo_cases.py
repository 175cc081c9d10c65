"""`zhifa demo` adds sample penalty cases in every state of the general procedure, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from demo.cases import SPREAD


@pytest.mark.django_db
def test_given_the_demo_when_loaded_twice_then_its_cases_cover_every_state_once() -> None:
    from cases.models import Case, CaseStatus
    from review.models import LegalReview

    call_command("demo", stdout=StringIO())
    count = Case.objects.count()
    call_command("demo", stdout=StringIO())

    assert count == Case.objects.count() == sum(n for _s, n in SPREAD)
    states = set(Case.objects.values_list("status", flat=True))
    assert len(states) >= 18
    assert {CaseStatus.CLOSED, CaseStatus.ARCHIVED, CaseStatus.HEARING_HELD, CaseStatus.NO_PENALTY} <= states
    assert all(c.parties.exists() for c in Case.objects.all())
    for review in LegalReview.objects.select_related("case"):
        handlers = set(review.case.officers.values_list("officer__user_id", flat=True))
        assert review.opinion == "pass" and review.reviewer_id not in handlers
    assert LegalReview.objects.exists()
