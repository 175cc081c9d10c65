"""Mediation tells the parties what happened: the 行政调解不予受理通知书 (a document with the reason and
the routes left, read back from its PDF), and a notification to the parties — through the reminders'
channels, each recorded — at acceptance, at each session, at the agreement and at the failure."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from core.models import LedgerEntry
from core.services.ledger import ledger_verify
from mediation import services
from mediation.models import Status
from reminders.models import Notification, NotificationStatus
from reminders.testing import SmsGatewayDouble

from .conftest import accepted, apply, in_session
from .test_services import pdf_text, sign_all

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def gateway():
    """A real HTTP SMS gateway on loopback (the reminders' test double), so parties with a mobile
    number are reachable by SMS."""
    double = SmsGatewayDouble().start()
    try:
        with override_settings(ZHIFA_SMS_GATEWAY_URL=double.url, ZHIFA_SMS_API_KEY=double.api_key):
            yield double
    finally:
        double.stop()


DAYTIME = datetime.datetime.combine(
    timezone.localdate(), datetime.time(10, 0), tzinfo=datetime.timezone(datetime.timedelta(hours=8))
)
REASON = "该争议已由人民法院立案受理，依法不属于行政调解的范围"


def notices(m, event):
    return list(Notification.objects.filter(subject_id=str(m.pk), event=event).order_by("pk"))


def test_a_refusal_issues_the_notice_with_the_reason_and_the_routes_and_tells_the_applicant(
    world, gateway, django_capture_on_commit_callbacks
):
    m = apply(world)
    with time_machine.travel(DAYTIME, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.mediation_refuse(actor=world.head.user, mediation=m, reason=REASON)

    m.refresh_from_db()
    assert m.status == Status.REFUSED and "调不受〔" in m.refusal_document_number
    text = pdf_text(m.refusal_document_id)
    for expected in (
        "行政调解不予受理通知书",
        "张某某",
        REASON,
        "不予受理",
        "行政裁决",
        "诉讼",
        m.refusal_document_number,
    ):
        assert expected in text
    (notice,) = notices(m, "mediation.refuse")  # the applicant only
    assert notice.phone == "13812345678" and m.refusal_document_number in notice.text
    # sent by SMS right after the commit (outside quiet hours)
    notice.refresh_from_db()
    assert notice.status == NotificationStatus.SENT
    assert gateway.messages[0]["to"] == "13812345678" and REASON in gateway.messages[0]["text"]
    entry = LedgerEntry.objects.filter(act="mediation.refuse").last()
    assert m.refusal_document_number in entry.payload
    assert ledger_verify().ok


def test_acceptance_sessions_and_agreement_are_notified_to_every_party_and_recorded(world):
    m = in_session(world)
    accept = notices(m, "mediation.accept")
    assert [n.recipient_name for n in accept] == ["张某某", "李某某"]
    # the applicant gave a phone: queued for SMS; the committee gave none: recorded as not reachable
    assert [n.status for n in accept] == [NotificationStatus.QUEUED, NotificationStatus.NO_CONTACT]
    assert m.number in accept[0].text and "张调解" in accept[0].text
    assert len(notices(m, "mediation.session")) == 2
    services.mediation_agreement_draft(
        actor=world.mediator.user, mediation=m, terms="一、各半使用。", performance="即时履行。"
    )
    sign_all(world, m)
    services.mediation_conclude(actor=world.mediator.user, mediation=m)
    m.refresh_from_db()
    (first, _second) = notices(m, "mediation.conclude")
    assert m.document_number in first.text
    recorded = LedgerEntry.objects.filter(act__in=["notification.queued", "notification.no_contact"]).count()
    assert recorded == Notification.objects.count() == 6


def test_a_failure_is_notified_with_the_routes_left(world):
    m = accepted(world)
    services.mediation_fail(actor=world.head.user, mediation=m, reason="双方分歧较大，无法达成一致")
    (first, _second) = notices(m, "mediation.fail")
    assert "无法达成一致" in first.text and "诉讼" in first.text


def test_repeating_an_act_never_notifies_twice(world):
    m = in_session(world)
    services.mediation_session_record(
        actor=world.mediator.user,
        mediation=m,
        held_on=timezone.localdate(),
        place="局调解室",
        attendees="双方当事人",
        record="第二次调解。",
    )
    assert len(notices(m, "mediation.session")) == 4  # two sessions × two parties, one each
    assert len(notices(m, "mediation.accept")) == 2
