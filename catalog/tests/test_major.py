import datetime
import json
from decimal import Decimal

import pytest

from catalog.models import MajorDecisionRule
from catalog.services import (
    catalog_record_defaults,
    decision_requirements,
    major_rule_create,
    major_rule_update,
)
from catalog.tests.factories import admin_of
from core.errors import PermissionDenied, ValidationFailed
from core.models import LedgerEntry
from org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def kinds(reqs):
    return {r.kind for r in reqs}


def test_given_default_catalog_when_individual_fined_30000_then_review_hearing_and_risk_assessment():
    agency = AgencyFactory()
    reqs = decision_requirements(agency=agency, proposed={"party_kind": "individual", "fine": 30000})
    assert kinds(reqs) == {"legal_review", "hearing_notice", "risk_assessment"}
    risk = next(r for r in reqs if r.kind == "risk_assessment")
    assert "2013" in risk.basis


def test_given_organisation_fined_50000_then_only_risk_assessment():
    agency = AgencyFactory()
    reqs = decision_requirements(agency=agency, proposed={"party_kind": "organisation", "fine": "50000"})
    assert kinds(reqs) == {"risk_assessment"}


def test_given_a_small_fine_then_nothing_is_required():
    agency = AgencyFactory()
    assert decision_requirements(agency=agency, proposed={"party_kind": "individual", "fine": 500}) == []


@pytest.mark.parametrize(
    "flag,expected",
    [
        ("revokes_licence", {"hearing_notice", "legal_review"}),
        ("stops_production", {"hearing_notice", "legal_review"}),
        ("demolition", {"hearing_notice"}),
        ("confiscates_buildings", {"hearing_notice"}),
        ("expropriation", {"risk_assessment"}),
        ("forced_relocation", {"risk_assessment"}),
    ],
)
def test_given_a_flagged_measure_then_its_statutory_requirements(flag, expected):
    agency = AgencyFactory()
    assert (
        kinds(decision_requirements(agency=agency, proposed={"party_kind": "organisation", flag: True}))
        == expected
    )


def test_given_hearing_held_on_major_rights_then_art58_legal_review():
    agency = AgencyFactory()
    reqs = decision_requirements(agency=agency, proposed={"hearing_held": True, "major_rights": True})
    assert [r.kind for r in reqs] == ["legal_review"] and "第58条" in reqs[0].basis


def test_given_an_agency_threshold_then_it_replaces_the_default_for_that_agency_only():
    agency, other = AgencyFactory(), AgencyFactory()
    major_rule_create(
        actor=admin_of(agency),
        agency=agency,
        values={
            "name": "对个人罚款2万元以上须法制审核",
            "trigger": "fine_at_least",
            "party_kind": "individual",
            "amount": Decimal(20000),
            "requirement": "legal_review",
            "basis": "本局目录",
            "effective_from": datetime.date(2024, 1, 1),
        },
    )
    proposal = {"party_kind": "individual", "fine": 15000}
    assert "legal_review" not in kinds(decision_requirements(agency=agency, proposed=proposal))
    assert "legal_review" in kinds(decision_requirements(agency=other, proposed=proposal))
    assert LedgerEntry.objects.filter(act="catalog.major_rule_create").count() == 1


def test_given_an_officer_then_rules_cannot_be_changed_and_the_denial_is_recorded():
    from catalog.models import MajorDecisionRule
    from catalog.tests.factories import officer_of

    agency = AgencyFactory()
    rule = MajorDecisionRule.objects.filter(agency__isnull=True).first()
    with pytest.raises(PermissionDenied):
        major_rule_update(actor=officer_of(agency), rule=rule, values={"amount": 1})
    with pytest.raises(PermissionDenied):
        major_rule_update(actor=admin_of(agency), rule=rule, values={"amount": 1})
    assert LedgerEntry.objects.filter(act="auth.permission_denied").count() == 2


@pytest.mark.parametrize("proposal", [{"fine": "lots"}, {"fine": -1}, {"party_kind": "alien"}])
def test_given_bad_proposals_then_a_clear_validation_error(proposal):
    with pytest.raises(ValidationFailed):
        decision_requirements(agency=AgencyFactory(), proposed=proposal)


def test_given_the_seeded_default_catalog_when_recorded_then_one_act_per_rule_and_idempotent():
    defaults = MajorDecisionRule.objects.filter(agency__isnull=True)
    recorded = catalog_record_defaults(actor=None)
    assert len(recorded) == defaults.count() == 20
    seeds = LedgerEntry.objects.filter(act="catalog.major_rule_seed")
    assert sorted(int(e.object_id) for e in seeds) == sorted(r.pk for r in defaults)
    risk = defaults.get(requirement="risk_assessment", trigger="fine_at_least")
    payload = json.loads(seeds.get(object_id=str(risk.pk)).payload)
    assert payload["new"]["amount"] == "30000" and payload["source"] == "catalog/migrations/0002"
    assert catalog_record_defaults(actor=None) == []
    assert seeds.count() == 20


def test_given_an_agency_admin_then_recording_the_default_catalog_is_refused():
    with pytest.raises(PermissionDenied):
        catalog_record_defaults(actor=admin_of(AgencyFactory()))
    assert not LedgerEntry.objects.filter(act="catalog.major_rule_seed").exists()


def test_given_no_party_kind_then_the_rules_of_every_party_kind_apply_with_a_note():
    """Issue 3 item 1: a 1,000,000 yuan fine with the party kind unknown must not answer "nothing"
    for the party-specific thresholds (the conservative answer, said in a note)."""
    agency = AgencyFactory()
    reqs = decision_requirements(agency=agency, proposed={"fine": 1000000})
    assert {"legal_review", "hearing_notice", "risk_assessment"} <= kinds(reqs)
    party_specific = [r for r in reqs if r.rule.party_kind != "any"]
    assert party_specific and all("保守" in r.note or "conservative" in r.note for r in party_specific)
    assert all(r.note == "" for r in reqs if r.rule.party_kind == "any")
    known = decision_requirements(agency=agency, proposed={"party_kind": "organisation", "fine": 1000000})
    assert all(r.note == "" for r in known)
