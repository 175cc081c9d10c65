"""Inside: first contact, assignment, hand-over, conduct rule, deadlines, conversion, reply, feedback."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from cases import selectors as case_selectors
from complaints import services
from complaints.models import Complaint, Handover
from complaints.tests.conftest import SECRETS, submit
from core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from core.models import LedgerEntry, LegalSetting
from core.services.calendar import add_calendar_days, add_workdays

pytestmark = pytest.mark.django_db


def _deadlines(complaint):
    from complaints.selectors import complaint_deadlines

    return {d.kind: d for d in complaint_deadlines(complaint=complaint)}


def _acts(complaint):
    return list(
        LedgerEntry.objects.filter(object_type="complaints.complaint", object_id=str(complaint.pk))
        .order_by("seq")
        .values_list("act", flat=True)
    )


def test_deadlines_started_on_receipt_from_the_legal_settings(world):
    report = submit(world)
    due = _deadlines(report)
    start = report.received_on
    assert set(due) == {"complaints.acknowledge", "complaints.lead_decision", "complaints.reply"}
    assert due["complaints.acknowledge"].due_date == add_workdays(start, 5).date
    assert due["complaints.lead_decision"].due_date == add_workdays(start, 15).date
    assert due["complaints.reply"].due_date == add_calendar_days(start, 60).date
    assert due["complaints.reply"].legal_basis.startswith("[U]")

    LegalSetting.objects.filter(key="complaints.acknowledge_workdays").update(value=3)
    conduct = submit(world, category="conduct", description="态度恶劣")
    due = _deadlines(conduct)
    assert set(due) == {"complaints.acknowledge", "complaints.reply"}  # no lead decision for conduct
    assert due["complaints.acknowledge"].due_date == add_workdays(start, 3).date


def test_accept_makes_the_first_contact_responsible_and_meets_the_acknowledgement(world):
    complaint = submit(world)
    services.complaint_accept(actor=world.intake.user, complaint=complaint)
    complaint.refresh_from_db()
    assert complaint.status == "accepted"
    assert complaint.first_contact == world.intake and complaint.owner == world.intake
    assert _deadlines(complaint)["complaints.acknowledge"].status == "satisfied"
    assert _deadlines(complaint)["complaints.reply"].status in {"open", "due_soon"}
    # Only the owner (or a head) acts on it from now on.
    with pytest.raises(PermissionDenied) as exc:
        services.complaint_reply(actor=world.colleague.user, complaint=complaint, text="答复")
    assert "首问负责" in exc.value.message
    assert LedgerEntry.objects.filter(act="auth.permission_denied", object_id=str(complaint.pk)).exists()


def test_hand_over_to_a_named_colleague_is_logged(world, client):
    complaint = submit(world, category="other", description="咨询宅基地审批")
    services.complaint_accept(actor=world.intake.user, complaint=complaint)
    record = services.complaint_handover(
        actor=world.intake.user, complaint=complaint, officer_id=world.colleague.pk, note="属执法一中队辖区"
    )
    complaint.refresh_from_db()
    assert complaint.owner == world.colleague and complaint.first_contact == world.intake
    assert Handover.objects.get() == record
    assert (record.from_officer, record.to_officer, record.note) == (
        world.intake,
        world.colleague,
        "属执法一中队辖区",
    )
    entry = LedgerEntry.objects.get(act="complaint.handover")
    payload = json.loads(entry.payload)
    assert (payload["from"], payload["to"], payload["to_name"]) == (
        world.intake.pk,
        world.colleague.pk,
        "钱同事",
    )
    # The former owner no longer acts; the new one does.
    with pytest.raises(PermissionDenied):
        services.complaint_reply(actor=world.intake.user, complaint=complaint, text="答复")
    services.complaint_reply(actor=world.colleague.user, complaint=complaint, text="已答复咨询。")
    client.force_login(world.head.user)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "移交记录" in page and "属执法一中队辖区" in page


def test_conduct_complaint_is_never_assigned_to_the_officer_or_their_department(world):
    complaint = submit(world, category="conduct", description="执法人员收受好处", officer_named="赵执法")
    services.complaint_accept(actor=world.intake.user, complaint=complaint)
    with pytest.raises(DomainError) as exc:  # not identified yet
        services.complaint_assign(
            actor=world.head.user,
            complaint=complaint,
            department_id=world.other_dept.pk,
            officer_id=world.colleague.pk,
        )
    assert exc.value.code == "complaint_subject_unknown"
    services.complaint_identify(actor=world.intake.user, complaint=complaint, officer_id=world.subject.pk)
    with pytest.raises(DomainError) as exc:
        services.complaint_assign(
            actor=world.head.user,
            complaint=complaint,
            department_id=world.subject_dept.pk,
            officer_id=world.subject_colleague.pk,
        )
    assert exc.value.code == "complaint_conduct_conflict"
    assert "不得分派给被投诉人所在科室（执法监察二中队）" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.complaint_handover(actor=world.intake.user, complaint=complaint, officer_id=world.subject.pk)
    assert exc.value.code == "complaint_conduct_conflict" and "不得由被投诉人本人办理" in exc.value.message
    services.complaint_assign(
        actor=world.head.user,
        complaint=complaint,
        department_id=world.other_dept.pk,
        officer_id=world.colleague.pk,
    )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.department, complaint.owner) == (
        "assigned",
        world.other_dept,
        world.colleague,
    )


def test_conduct_complaint_is_hidden_from_the_officer_and_their_department(world, client):
    complaint = submit(
        world, category="conduct", description="态度恶劣", officer_certificate="豫zf41018300009"
    )
    assert complaint.subject_officer == world.subject  # identified by the certificate number given
    for officer in (world.subject, world.subject_colleague):
        client.force_login(officer.user)
        listing = client.get(reverse("complaints:list")).content.decode()
        assert complaint.tracking_code not in listing and SECRETS[0] not in listing
        assert client.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 404
        with pytest.raises(PermissionDenied):
            services.complaint_accept(actor=officer.user, complaint=complaint)
    client.force_login(world.intake.user)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert SECRETS[0] in page and SECRETS[1] in page


def test_conversion_into_a_case_lead_in_one_action(world, client):
    complaint = submit(world)
    services.complaint_accept(actor=world.intake.user, complaint=complaint)
    client.force_login(world.intake.user)
    response = client.post(
        reverse("complaints:detail", args=[complaint.pk]), {"action": "convert", "title": "东村三组占地建房"}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "converted" and complaint.lead_decision == "lead"
    case = case_selectors.case_get(case_id=complaint.case_id, actor=world.intake.user)
    assert case.lead.source == "complaint" and case.lead.discovered_on == complaint.received_on
    assert case.lead.description == complaint.description and case.title == "东村三组占地建房"
    assert SECRETS[0] not in case.lead.reported_by and complaint.tracking_code[:4] in case.lead.reported_by
    assert _deadlines(complaint)["complaints.lead_decision"].status == "satisfied"
    with pytest.raises(Conflict):
        services.complaint_convert(actor=world.intake.user, complaint=complaint)
    services.complaint_reply(actor=world.intake.user, complaint=complaint, text="已立为案件线索调查。")
    assert "complaint.convert" in _acts(complaint)


def test_only_reports_become_leads_and_reports_are_decided_before_the_answer(world):
    conduct = submit(world, category="other", description="咨询")
    services.complaint_accept(actor=world.head.user, complaint=conduct)
    with pytest.raises(DomainError) as exc:
        services.complaint_convert(actor=world.head.user, complaint=conduct)
    assert exc.value.code == "complaint_not_a_report"
    report = submit(world)
    services.complaint_accept(actor=world.head.user, complaint=report)
    with pytest.raises(DomainError) as exc:
        services.complaint_reply(actor=world.head.user, complaint=report, text="答复")
    assert exc.value.code == "complaint_lead_undecided"
    services.complaint_no_lead(actor=world.head.user, complaint=report, reason="经核查系合法审批建房")
    assert _deadlines(report)["complaints.lead_decision"].status == "satisfied"
    services.complaint_reply(actor=world.head.user, complaint=report, text="经核查，该建房已依法审批。")


def test_reply_visible_by_code_then_satisfaction_closes(world, client):
    complaint = submit(world, category="other", description="咨询")
    services.complaint_accept(actor=world.intake.user, complaint=complaint)
    services.complaint_reply(
        actor=world.intake.user, complaint=complaint, text="您咨询的事项已转交乡镇办理。"
    )
    assert _deadlines(complaint)["complaints.reply"].status == "satisfied"
    track = client.get("/gongkai/complaints/track/", {"code": complaint.tracking_code}).content.decode()
    assert "您咨询的事项已转交乡镇办理。" in track and "已答复" in track and 'name="satisfaction"' in track
    response = client.post(
        "/gongkai/complaints/track/feedback/",
        {"code": complaint.tracking_code, "satisfaction": "partly", "comment": "希望更快"},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.satisfaction, complaint.feedback) == ("closed", "partly", "希望更快")
    again = client.post(
        "/gongkai/complaints/track/feedback/", {"code": complaint.tracking_code, "satisfaction": "satisfied"}
    )
    assert again.status_code == 400 and "评价只能在答复后提交一次" in again.content.decode()
    assert _acts(complaint) == [
        "complaint.submit",
        "complaint.accept",
        "complaint.reply",
        "complaint.feedback",
    ]


def test_other_agencys_officer_is_refused(world, client):
    complaint = submit(world)
    client.force_login(world.outsider.user)
    assert client.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 404
    assert complaint.tracking_code not in client.get(reverse("complaints:list")).content.decode()
    with pytest.raises(PermissionDenied) as exc:
        services.complaint_accept(actor=world.outsider.user, complaint=complaint)
    assert "投诉举报由其投向机关的执法人员和负责人办理" in exc.value.message
    assert Complaint.objects.get().status == "received"


def test_transition_table_refuses_moves_out_of_order(world):
    complaint = submit(world, category="other", description="咨询")
    with pytest.raises(Conflict) as exc:
        services.complaint_close(actor=world.head.user, complaint=complaint)
    assert exc.value.code == "complaint_transition_refused" and "已收到" in exc.value.message
    services.complaint_accept(actor=world.head.user, complaint=complaint)
    with pytest.raises(Conflict):
        services.complaint_accept(actor=world.intake.user, complaint=complaint)


def test_list_filters_and_pagination(world, client):
    complaints = [submit(world, description=f"举报{i}") for i in range(23)]
    services.complaint_accept(actor=world.intake.user, complaint=complaints[0])
    client.force_login(world.head.user)
    first = client.get(reverse("complaints:list")).content.decode()
    assert "第 1 页，共 2 页" in first
    assert client.get(reverse("complaints:list"), {"page": 2}).status_code == 200
    accepted = client.get(reverse("complaints:list"), {"status": "accepted"}).content.decode()
    assert complaints[0].tracking_code in accepted and complaints[1].tracking_code not in accepted
    by_code = client.get(
        reverse("complaints:list"), {"q": complaints[5].tracking_code.lower()}
    ).content.decode()
    assert complaints[5].tracking_code in by_code and complaints[6].tracking_code not in by_code
    client.force_login(world.intake.user)
    mine = client.get(reverse("complaints:list"), {"mine": "on"}).content.decode()
    assert complaints[0].tracking_code in mine and complaints[2].tracking_code not in mine


def test_attachment_download_for_officers_only(world, client):
    from complaints.services import Upload
    from complaints.tests.conftest import PNG, png

    complaint = submit(world, files=[Upload(name="现场.png", size=len(PNG), fileobj=png())])
    item = complaint.attachments.get()
    url = reverse("complaints:attachment", args=[complaint.pk, item.pk])
    assert client.get(url).status_code == 302  # login
    client.force_login(world.outsider.user)
    assert client.get(url).status_code == 404
    client.force_login(world.intake.user)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_conduct_complaint_is_answered_with_its_finding(world, client):
    from org.mfa import force_login_verified

    complaint = submit(world, category="conduct", description="到场未出示证件", officer_named="赵执法")
    services.complaint_accept(actor=world.intake.user, complaint=complaint)
    with pytest.raises(ValidationFailed) as exc:
        services.complaint_reply(actor=world.intake.user, complaint=complaint, text="经核查属实。")
    assert "finding" in exc.value.field_errors and "评议考核" in exc.value.message
    with pytest.raises(ValidationFailed):
        services.complaint_reply(
            actor=world.intake.user, complaint=complaint, text="经核查属实。", finding="maybe"
        )
    assert Complaint.objects.get(pk=complaint.pk).status == "accepted"  # nothing written
    force_login_verified(client, world.intake.user)
    url = reverse("complaints:detail", args=[complaint.pk])
    page = client.get(url).text
    assert 'name="finding"' in page and "部分成立" in page
    client.post(url, {"action": "reply", "text": "经核查属实，已批评教育。", "finding": "upheld"})
    complaint.refresh_from_db()
    assert (complaint.status, complaint.finding) == ("replied", "upheld")
    entry = LedgerEntry.objects.filter(act="complaint.reply", object_id=str(complaint.pk)).get()
    assert '"finding":"upheld"' in entry.payload
    assert "成立" in client.get(url).text
