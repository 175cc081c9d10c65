"""The officer's acts of mediation over the API: accept → session → agreement → signatures →
conclusion, a refusal with its notice, a failure; the error contract of the cases Action API
(409 with the rule's violation, 422 with field errors), scoping and permissions."""

from __future__ import annotations

import pytest
from django.utils import timezone

from api.tests.conftest import ApiClient, token_for
from mediation.models import Mediation, Status
from mediation.services import mediation_apply
from org.roles import Role
from org.tests.factories import AgencyFactory, DepartmentFactory, OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    agency = AgencyFactory(name="新密市自然资源局", short_name="新密自然资")
    dept = DepartmentFactory(agency=agency, name="法规科")
    head = OfficerFactory(
        agency=agency, with_department=False, roles=[Role.HEAD, Role.OFFICER], name="王局长"
    )
    mediator = OfficerFactory(agency=agency, department=dept, name="张调解")
    outsider = OfficerFactory(name="外局员")
    return agency, head, mediator, outsider


def applied(agency, head) -> Mediation:
    return mediation_apply(
        actor=head.user,
        agency_id=agency.pk,
        kind="land_use",
        channel="window",
        summary="双方对东村3组宅基地东侧约120平方米土地的使用权有争议。",
        applicant={"name": "张某某", "phone": "13812345678"},
        respondent={"name": "东村村民委员会"},
    )


def url(m, action):
    return f"/api/v1/mediations/{m.pk}/actions/{action}"


def test_from_acceptance_to_the_signed_agreement(world):
    agency, head, mediator, _outsider = world
    m = applied(agency, head)
    boss, med = ApiClient(token_for(head.user)), ApiClient(token_for(mediator.user))
    today = timezone.localdate().isoformat()

    r = boss.post(url(m, "accept"), {"mediator_id": mediator.pk})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "accepted" and r.json()["mediator_id"] == mediator.pk
    session = {
        "held_on": today,
        "place": "局调解室",
        "attendees": "双方当事人；调解人",
        "record": "双方同意各半。",
    }
    assert med.post(url(m, "session"), session).json()["status"] == "mediating"
    assert (
        med.post(url(m, "agreement"), {"terms": "一、各半使用。", "performance": "即时履行。"}).status_code
        == 200
    )
    for party in m.parties.all():
        assert med.post(url(m, "sign"), {"party_id": party.pk, "signed_on": today}).status_code == 200
    done = med.post(url(m, "conclude"))
    assert done.status_code == 200 and done.json()["status"] == "agreed" and done.json()["document_number"]


def test_a_rule_refusal_is_409_with_its_violation_and_bad_input_is_422(world):
    agency, head, mediator, _outsider = world
    m = applied(agency, head)
    boss = ApiClient(token_for(head.user))

    early = boss.post(url(m, "agreement"), {"terms": "一、各半。", "performance": "即时履行。"})
    assert early.status_code == 409
    assert early.json()["code"] == "mediation_no_session" and early.json()["violations"][0]["message"]

    bad = boss.post(url(m, "refuse"), {"reason": "  "})
    assert bad.status_code == 422 and "reason" in bad.json()["field_errors"]
    assert bad.json()["violations"]
    not_json = boss.post(url(m, "refuse"), raw=b"[1, 2]")
    assert not_json.status_code == 422
    bad_date = boss.post(url(m, "accept"), {"mediator_id": mediator.pk})
    assert bad_date.status_code == 200
    session = boss.post(
        url(m, "session"), {"held_on": "2026-13-40", "place": "", "attendees": "", "record": ""}
    )
    assert session.status_code == 422 and {"held_on", "place"} <= set(session.json()["field_errors"])
    assert Mediation.objects.get(pk=m.pk).status == Status.ACCEPTED


def test_a_refusal_answers_with_the_number_of_its_notice(world):
    agency, head, _mediator, _outsider = world
    m = applied(agency, head)
    r = ApiClient(token_for(head.user)).post(url(m, "refuse"), {"reason": "该争议已由人民法院受理"})
    assert r.status_code == 200
    assert r.json()["status"] == "refused" and "调不受〔" in r.json()["refusal_document_number"]


def test_only_the_agency_acts_and_an_officer_does_not_accept(world):
    agency, head, mediator, outsider = world
    m = applied(agency, head)
    assert (
        ApiClient(token_for(outsider.user)).post(url(m, "accept"), {"mediator_id": mediator.pk}).status_code
        == 404
    )
    denied = ApiClient(token_for(mediator.user)).post(url(m, "accept"), {"mediator_id": mediator.pk})
    assert denied.status_code == 403
    assert ApiClient().post(url(m, "accept"), {}).status_code == 401
    assert ApiClient(token_for(head.user)).post(url(m, "dance"), {}).status_code == 400
    assert Mediation.objects.get(pk=m.pk).status == Status.APPLIED
