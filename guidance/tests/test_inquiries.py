"""Inquiries with first-contact responsibility: owner from the first contact, logged hand-over with
reason, reply deadline on the clock, overdue list for the head; the public form and tracking."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.errors import PermissionDenied, ValidationFailed
from core.models import Deadline, LedgerEntry
from guidance import selectors, services
from guidance.models import Inquiry, InquiryStatus


def phone_call(world, **overrides):
    kwargs = {
        "agency_id": world.agency.pk,
        "channel": "phone",
        "asker_name": "刘先生",
        "asker_phone": "13912345678",
        "question": "农村宅基地建房需要办理哪些审批手续？",
    }
    kwargs.update(overrides)
    return services.inquiry_receive(actor=world.officer.user, **kwargs)


def test_the_officer_answering_the_phone_owns_the_inquiry_and_its_reply_deadline_runs(world):
    inquiry = phone_call(world)
    assert inquiry.status == InquiryStatus.OPEN
    assert inquiry.first_contact_id == inquiry.owner_id == world.officer.pk
    deadline = Deadline.objects.get(kind=selectors.INQUIRY_REPLY, subject_id=str(inquiry.pk))
    assert deadline.unit == Deadline.Unit.WORKDAYS and deadline.amount == 5


def test_hand_over_needs_a_named_colleague_and_a_reason_and_is_logged(world):
    inquiry = phone_call(world)
    with pytest.raises(ValidationFailed) as exc:
        services.inquiry_handover(
            actor=world.officer.user, inquiry=inquiry, officer_id=world.colleague.pk, reason=" "
        )
    assert set(exc.value.field_errors) == {"reason"}
    with pytest.raises(ValidationFailed):
        services.inquiry_handover(
            actor=world.officer.user, inquiry=inquiry, officer_id=world.outsider.pk, reason="x"
        )
    services.inquiry_handover(
        actor=world.officer.user,
        inquiry=inquiry,
        officer_id=world.colleague.pk,
        reason="属于规划许可事项，由规划股答复",
    )
    inquiry.refresh_from_db()
    assert inquiry.owner_id == world.colleague.pk and inquiry.first_contact_id == world.officer.pk
    deadline = Deadline.objects.get(kind=selectors.INQUIRY_REPLY, subject_id=str(inquiry.pk))
    assert deadline.responsible_id == world.colleague.user_id
    entry = LedgerEntry.objects.filter(act="inquiry.handover").get()
    assert "属于规划许可事项，由规划股答复" in str(entry.payload)
    # The former owner may not answer any more; the new owner does.
    with pytest.raises(PermissionDenied):
        services.inquiry_reply(actor=world.officer.user, inquiry=inquiry, text="x")
    services.inquiry_reply(
        actor=world.colleague.user, inquiry=inquiry, text="需向乡镇人民政府申请乡村建设规划许可。"
    )
    assert (
        Deadline.objects.get(kind=selectors.INQUIRY_REPLY, subject_id=str(inquiry.pk)).status
        == Deadline.Status.SATISFIED
    )


def test_overdue_inquiries_are_listed_for_the_head(world):
    late = phone_call(world)
    answered = phone_call(world, asker_name="陈女士")
    services.inquiry_reply(actor=world.officer.user, inquiry=answered, text="已答复")
    later = timezone.localdate() + datetime.timedelta(days=20)
    assert list(selectors.overdue_inquiries(actor=world.head.user, today=later)) == [late]
    assert not selectors.overdue_inquiries(actor=world.head.user).exists()
    assert not selectors.overdue_inquiries(actor=world.outsider.user, today=later).exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=20), tick=False):
        client = Client()
        client.force_login(world.head.user)
        page = client.get(reverse("guidance:inquiries"), {"overdue": "1"})
        assert [i.pk for i in page.context["page"].object_list] == [late.pk]


def test_an_online_question_waits_for_an_officer_to_take_it(world):
    client = Client()
    data = {
        "agency": world.agency.pk,
        "asker_name": "周某",
        "asker_email": "zhou@example.com",
        "question": "采矿权延续需要哪些材料？",
    }
    response = client.post(reverse("guidance_public:ask"), data)
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.status == InquiryStatus.RECEIVED and inquiry.owner_id is None
    with pytest.raises(PermissionDenied):
        services.inquiry_reply(actor=world.officer.user, inquiry=inquiry, text="x")
    services.inquiry_take(actor=world.colleague.user, inquiry=inquiry)
    assert Deadline.objects.get(kind=selectors.INQUIRY_REPLY, subject_id=str(inquiry.pk)).responsible_id == (
        world.colleague.user_id
    )
    services.inquiry_reply(
        actor=world.colleague.user, inquiry=inquiry, text="请携带采矿许可证正本及储量报告。"
    )
    code = client.get(reverse("guidance_public:asked")).context["status"]["display_code"]
    track = client.get(reverse("guidance_public:track"), {"code": code})
    body = track.content.decode()
    assert "请携带采矿许可证正本" in body and "周某" not in body and "zhou@example.com" not in body


def test_a_public_question_without_contact_is_refused_and_keeps_the_text(world):
    response = Client().post(
        reverse("guidance_public:ask"),
        {"agency": world.agency.pk, "asker_name": "周某", "question": "能否在林地上建房？"},
    )
    assert response.status_code == 400 and "能否在林地上建房？" in response.content.decode()
    assert "asker_phone" in response.context["form"].errors and not Inquiry.objects.exists()


def test_the_inquiry_page_hands_over_and_answers(world):
    inquiry = phone_call(world)
    client = Client()
    client.force_login(world.officer.user)
    url = reverse("guidance:inquiry_detail", args=[inquiry.pk])
    assert (
        client.post(url, {"action": "handover", "officer": world.colleague.pk, "reason": ""}).status_code
        == 400
    )
    assert (
        client.post(
            url, {"action": "handover", "officer": world.colleague.pk, "reason": "转规划股"}
        ).status_code
        == 302
    )
    assert client.post(url, {"action": "reply", "text": "x"}).status_code == 403
