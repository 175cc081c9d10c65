"""Case facts: the Art.32 mitigation facts and fee bases are accepted; a violation code must be one
the catalog publishes for the agency."""

from __future__ import annotations

import pytest

from cases.services import case_facts_update
from cases.tests.factories import case_world, new_case
from catalog.tests.factories import admin_of, occupation_standard
from core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return case_world()


@pytest.mark.parametrize("key", ["reduced_harm", "coerced", "confessed", "assisted"])
def test_art_32_mitigation_facts_are_recorded(world, key):
    case = case_facts_update(actor=world.head.user, case=new_case(world), facts={key: True})

    case.refresh_from_db()
    assert case.facts[key] is True


def test_fee_and_area_in_mu_are_recorded(world):
    facts = {"fee": "1200", "area_mu": "2.5"}
    case = case_facts_update(actor=world.head.user, case=new_case(world), facts=facts)

    case.refresh_from_db()
    assert (case.facts["fee"], case.facts["area_mu"]) == ("1200", "2.5")


def test_unknown_violation_code_is_refused_naming_the_catalog(world):
    case = new_case(world)

    with pytest.raises(ValidationFailed) as exc:
        case_facts_update(actor=world.head.user, case=case, violation_code="no_such_violation")

    assert "no_such_violation" in str(exc.value.message)
    assert "violation_code" in exc.value.field_errors
    case.refresh_from_db()
    assert case.violation_code == ""


def test_published_violation_code_is_accepted(world):
    occupation_standard(agency=world.agency, actor=admin_of(world.agency))
    case = case_facts_update(actor=world.head.user, case=new_case(world), violation_code="illegal_occupation")

    case.refresh_from_db()
    assert case.violation_code == "illegal_occupation"
