"""The records and publicity apps plugged into the general procedure: audio-video rules block their
step (国办发〔2018〕118号), 归档 needs the archive package, and 事后公开 is a step of the case
(7 working days for a penalty decision, deadline on the clock, 结案 waits for it, a revocation
withdraws it)."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from cases.models import CaseStatus
from cases.selectors import case_deadlines
from cases.services import case_act
from cases.services.publication import PUBLICATION_DEADLINE
from cases.services.remedies import remedy_outcome_record, remedy_record
from cases.services.transitions import TransitionRefused
from cases.tests.factories import act, build_archive, case_world, new_case, publish_decision, walk
from core.errors import DomainError
from core.models import Deadline, LegalSetting
from publicity.models import Publication

MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 12 + bytes(range(256)) * 8


def _publication(case) -> Publication:
    return Publication.objects.get(case_id=case.pk)


# ---------------------------------------------------------------- audio-video (records)


def test_questioning_in_the_case_room_blocks_report_until_its_recording_is_attached(world):
    from records.services import evidence_file_ingest, record_create
    from records.tests.helpers import interview_content, started

    case = walk(new_case(world), world, CaseStatus.INVESTIGATING)
    record = record_create(
        actor=world.officer1.user,
        case=case,
        kind="interview",
        action="investigate",
        started_at=started(),
        place="执法办案场所询问室1",
        in_case_room=True,
        officer_ids=[world.officer1.pk, world.officer2.pk],
        content=interview_content(),
        signature="signed",
    )
    with pytest.raises(TransitionRefused) as err:
        act(case, world, "report")
    [violation] = err.value.violations
    assert violation.code == "av_missing" and "执法办案场所内询问" in violation.message
    assert "118号" in violation.basis
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING
    evidence_file_ingest(
        actor=world.officer1.user,
        case=case,
        fileobj=io.BytesIO(MP4),
        filename="询问录像.mp4",
        content_type="video/mp4",
        record=record,
        action="investigate",
    )
    case.refresh_from_db()
    assert act(case, world, "report").status == CaseStatus.INVESTIGATION_REPORTED


def test_a_step_without_a_required_rule_is_not_blocked_and_available_actions_say_why(world):
    from cases.services import available_actions
    from records.models import AvRule

    AvRule.objects.filter(code="investigation").update(requirement="required")
    case = walk(new_case(world), world, CaseStatus.REGISTERED)
    [entry] = [
        a for a in available_actions(case=case, actor=world.officer1.user) if a["action"] == "investigate"
    ]
    assert not entry["allowed"] and [b["code"] for b in entry["blocked_by"]] == ["av_missing"]


# ---------------------------------------------------------------- archive (records)


def test_archive_is_refused_until_the_package_is_built(world):
    case = walk(new_case(world), world, CaseStatus.CLOSED)
    with pytest.raises(TransitionRefused) as err:
        case_act(case=case, actor=world.officer1.user, action="archive")
    assert [v.code for v in err.value.violations] == ["archive_package_missing"]
    assert "zhifa archive build" in err.value.violations[0].message
    build_archive(case, world)
    case.refresh_from_db()
    assert case_act(case=case, actor=world.officer1.user, action="archive").status == CaseStatus.ARCHIVED


# ---------------------------------------------------------------- publication (publicity)


def test_delivery_drafts_the_masked_publication_due_7_working_days_after_the_decision_across_national_day(
    world,
):
    # Decided on Tuesday 2025-09-30; 1–8 October is the National Day holiday, Saturday 11 October a
    # working day: the 7th working day after the decision is Thursday 16 October.
    with time_machine.travel(datetime.datetime(2025, 9, 30, 10, 0), tick=False):
        world = case_world()  # certificates valid on that day
        case = walk(new_case(world), world, CaseStatus.DELIVERED, today=datetime.date(2025, 9, 30))
        pub = _publication(case)
        assert pub.status == "masked" and pub.decided_on == datetime.date(2025, 9, 30)
        assert pub.due_on == datetime.date(2025, 10, 16)
        assert pub.document_number == case.decision_number
        # the party's identity number and address never reach the masked text
        party = case.parties.get()
        assert party.id_number in pub.original_text and party.id_number not in pub.masked_text
        assert party.address not in pub.masked_text
        [dl] = case_deadlines(case=case, kind=PUBLICATION_DEADLINE)
        assert dl.due_date == datetime.date(2025, 10, 16) and dl.unit == "workdays"
        assert "118号" in dl.legal_basis


def test_publishing_satisfies_the_deadline_and_only_then_the_case_closes(world):
    case = walk(new_case(world), world, CaseStatus.EXECUTED)
    with pytest.raises(TransitionRefused) as err:
        case_act(case=case, actor=world.head.user, action="close")
    [violation] = err.value.violations
    assert violation.code == "publication_pending" and "118号" in violation.basis
    assert case_deadlines(case=case, kind=PUBLICATION_DEADLINE, open_only=True).count() == 1
    publish_decision(case, world)
    [dl] = case_deadlines(case=case, kind=PUBLICATION_DEADLINE)
    assert dl.status == Deadline.Status.SATISFIED
    case.refresh_from_db()
    assert case_act(case=case, actor=world.head.user, action="close").status == CaseStatus.CLOSED


def test_a_warning_only_decision_is_not_published_unless_configured(world):
    case = walk(new_case(world), world, CaseStatus.INVESTIGATING)
    case = act(case, world, "report", data={"proposed_outcome": "penalty", "kinds": ["warning"]})
    case = act(case, world, "notify")
    case = act(case, world, "record_statement")
    case = act(case, world, "decide")
    case = act(case, world, "deliver")
    assert not Publication.objects.filter(case_id=case.pk).exists()
    LegalSetting.objects.filter(key="cases.publish_warning_only").update(value=1)
    other = walk(new_case(world), world, CaseStatus.INVESTIGATING)
    for action, data in (
        ("report", {"proposed_outcome": "penalty", "kinds": ["warning"]}),
        ("notify", None),
        ("record_statement", None),
        ("decide", None),
        ("deliver", None),
    ):
        other = act(other, world, action, data=data)
    assert _publication(other).due_on is not None


def test_a_no_penalty_decision_is_published_within_20_working_days(world):
    from core.services.calendar import add_workdays

    case = walk(new_case(world), world, CaseStatus.NO_PENALTY)
    pub = _publication(case)
    assert pub.due_on == add_workdays(case.decided_on, 20).date
    assert "不予行政处罚决定书" in pub.original_text


def test_revocation_withdraws_the_publication_and_the_public_page_says_so(world, client):
    case = walk(new_case(world), world, CaseStatus.CLOSED)
    pub = _publication(case)
    assert pub.status == "published"
    page = client.get(reverse("publicity:decision_detail", args=[pub.public_id]))
    assert page.status_code == 200 and case.decision_number in page.content.decode()
    remedy = remedy_record(
        actor=world.officer1.user,
        case=case,
        kind="reconsideration",
        filed_on=case.decided_on,
        body="县人民政府",
    )
    remedy_outcome_record(actor=world.head.user, remedy=remedy, outcome="revoked", decided_on=case.decided_on)
    pub.refresh_from_db()
    assert pub.status == "withdrawn" and pub.withdrawn_at is not None
    assert "行政复议" in pub.withdrawal_reason and "撤销" in pub.withdrawal_reason
    party = case.parties.get()
    assert party.name not in pub.withdrawal_reason and party.id_number not in pub.withdrawal_reason
    html = client.get(reverse("publicity:decision_detail", args=[pub.public_id])).content.decode()
    assert pub.withdrawal_reason in html
    assert "处罚内容" not in html  # the decision's text is no longer shown


def test_a_revocation_before_publication_withdraws_the_draft_so_it_is_never_published(world):
    from publicity.services import publication_publish

    case = walk(new_case(world), world, CaseStatus.DELIVERED)
    remedy = remedy_record(
        actor=world.officer1.user, case=case, kind="litigation", filed_on=case.decided_on, body="县人民法院"
    )
    remedy_outcome_record(actor=world.head.user, remedy=remedy, outcome="revoked", decided_on=case.decided_on)
    pub = _publication(case)
    # withdrawn from its unpublished state (publicity.services.publication_withdraw_for_case)
    assert pub.status == "withdrawn" and "撤销" in pub.withdrawal_reason
    assert case.parties.get().name not in pub.withdrawal_reason
    assert not case_deadlines(case=case, kind=PUBLICATION_DEADLINE, open_only=True).exists()
    with pytest.raises(DomainError):
        publication_publish(actor=world.officer1.user, publication=pub)


def test_the_case_page_shows_the_publication_with_a_link_to_its_review(world, client):
    case = walk(new_case(world), world, CaseStatus.DELIVERED)
    pub = _publication(case)
    client.force_login(world.officer1.user)
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'id="publication"' in html
    assert reverse("publicity:review", args=[pub.pk]) in html
    assert pub.due_on.isoformat() in html


# ---------------------------------------------------------------- facts: legal basis and evidence


def test_facts_form_records_the_legal_basis_and_one_evidence_item_per_line(world):
    from cases.forms import CaseFactsForm
    from cases.services import case_facts_update

    case = new_case(world)
    form = CaseFactsForm(
        data={"legal_basis": "《土地管理法》第七十七条第一款", "evidence": "询问笔录\n\n 现场照片 \n"},
        case=case,
    )
    assert form.is_valid(), form.errors
    case_facts_update(actor=world.officer1.user, case=case, **form.data_for_service())
    case.refresh_from_db()
    assert case.facts["legal_basis"] == "《土地管理法》第七十七条第一款"
    assert case.facts["evidence"] == ["询问笔录", "现场照片"]
    assert CaseFactsForm(case=case).initial["evidence"] == "询问笔录\n现场照片"


def test_facts_api_takes_the_legal_basis_and_the_evidence_list(world, client):
    import json

    case = new_case(world)
    client.force_login(world.officer1.user)  # the API takes the session as well as a bearer token
    response = client.post(
        f"/api/v1/cases/{case.pk}/facts",
        json.dumps({"legal_basis": "《土地管理法》第七十七条", "evidence": ["询问笔录", "现场照片"]}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.facts["evidence"] == ["询问笔录", "现场照片"]
    assert case.facts["legal_basis"] == "《土地管理法》第七十七条"


def test_the_publication_carries_the_violation_type_the_public_search_filters_by(world):
    from catalog.tests.factories import occupation_standard

    occupation_standard(agency=world.agency)
    case = walk(new_case(world), world, CaseStatus.DECIDED)
    # the violation chosen from the catalog (set directly: the walk's fine is not this standard's)
    type(case).objects.filter(pk=case.pk).update(violation_code="illegal_occupation")
    case.refresh_from_db()
    case = act(case, world, "deliver")
    assert _publication(case).category == "非法占用土地"


def test_a_publication_whose_display_period_ended_is_neither_overdue_nor_pending(world):
    from cases.services.publication import case_publication

    case = walk(new_case(world), world, CaseStatus.EXECUTED)
    publish_decision(case, world)
    pub = _publication(case)
    # the display period ended long after the due date: the case page must not flag it overdue
    Publication.objects.filter(pk=pub.pk).update(status="expired", due_on=datetime.date(2020, 1, 1))
    info = case_publication(case)
    assert info["publication"].status == "expired" and info["overdue"] is False
    case.refresh_from_db()
    assert case_act(case=case, actor=world.head.user, action="close").status == CaseStatus.CLOSED


def test_a_draft_past_its_due_date_is_flagged_overdue_on_the_case_page(world):
    from cases.services.publication import case_publication

    case = walk(new_case(world), world, CaseStatus.DELIVERED)
    Publication.objects.filter(case_id=case.pk).update(due_on=datetime.date(2020, 1, 1))
    assert case_publication(case)["overdue"] is True
