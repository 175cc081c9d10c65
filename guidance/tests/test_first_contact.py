"""首问负责 / 限时办结 (issue 8 §6): the head's one list of overdue first-contact items — inquiries,
applications for mediation, reminder tasks (and licence applications) — with the responsible officer
and how late; the daily escalation reports each item to the heads once, recorded in the ledger and
as a notification through the reminders' channels."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Deadline, LedgerEntry
from core.services.clock import deadline_start
from guidance import selectors, services
from guidance.models import Escalation
from mediation.services import mediation_apply
from reminders.models import Notification, ReminderRule, ReminderTask
from reminders.services import reminders_scan, reminders_send

pytestmark = pytest.mark.django_db
LATER = timezone.localdate() + dt.timedelta(days=40)


def inquiry(world, **kw):
    return services.inquiry_receive(
        actor=world.officer.user,
        agency_id=world.agency.pk,
        channel="phone",
        asker_name="刘某",
        asker_phone="13800000000",
        question="宅基地翻建需要办理什么手续？",
        **kw,
    )


def mediation(world):
    return mediation_apply(
        actor=world.colleague.user,
        agency_id=world.agency.pk,
        kind="water",
        channel="window",
        summary="上下游两村对灌溉取水有争议。",
        applicant={"name": "东村村民委员会"},
        respondent={"name": "西村村民委员会"},
    )


def reminder_task(world):
    """A reminder to a party the channels cannot reach: a task assigned to the responsible officer."""
    ReminderRule.objects.exclude(code="licence-expiry-holder").update(active=False)
    today = timezone.localdate()
    deadline_start(
        actor=None,
        subject=world.agency,  # a subject no domain offers a contact for
        agency_id=world.agency.pk,
        kind="licence.expiry",
        title="采矿许可证有效期届满",
        legal_basis="《行政许可法》第五十条",
        unit=Deadline.Unit.CALENDAR_DAYS,
        amount=5,
        start_date=today,
        responsible=world.officer.user,
    )
    at = dt.datetime.combine(today, dt.time(10), tzinfo=dt.timezone(dt.timedelta(hours=8)))  # not quiet
    reminders_scan(today=today, now=at)
    reminders_send(now=at)
    return ReminderTask.objects.get()


def test_the_list_names_each_overdue_item_its_owner_and_how_late(world):
    late_inquiry = inquiry(world)
    inquiry(world)  # answered in time: not listed
    services.inquiry_reply(
        actor=world.officer.user,
        inquiry=selectors.visible_inquiries(None).exclude(pk=late_inquiry.pk).get(),
        text="请到窗口咨询。",
    )
    m = mediation(world)
    task = reminder_task(world)

    rows = selectors.first_contact_overdue(actor=world.head.user, today=LATER)

    by_kind = {r["kind"]: r for r in rows}
    assert set(by_kind) == {"inquiry", "mediation", "reminder_task"}
    assert by_kind["inquiry"]["pk"] == late_inquiry.pk and by_kind["inquiry"]["owner_name"] == "张执法"
    assert by_kind["mediation"]["pk"] == m.pk and by_kind["mediation"]["owner_name"] == "李同事"
    assert by_kind["reminder_task"]["pk"] == task.pk and by_kind["reminder_task"]["owner_name"] == "张执法"
    for row in rows:
        assert row["days_late"] == (LATER - row["due_date"]).days > 0 and row["escalated_on"] is None
    assert [r["due_date"] for r in rows] == sorted(r["due_date"] for r in rows)
    # nothing is overdue on the day of receipt; an officer (not a head) is not shown the list
    assert selectors.first_contact_overdue(actor=world.head.user, today=timezone.localdate()) == []
    assert selectors.first_contact_overdue(actor=world.officer.user, today=LATER) == []
    assert selectors.first_contact_overdue(actor=world.outsider.user, today=LATER) == []


def test_escalation_reports_each_item_to_the_heads_once_and_records_it(world):
    world.head.user.email = "wang@xinmi.example.cn"
    world.head.user.save()
    late = inquiry(world)
    mediation(world)

    assert services.first_contact_escalate(today=LATER) == 2
    assert services.first_contact_escalate(today=LATER + dt.timedelta(days=1)) == 0

    escalation = Escalation.objects.get(kind="inquiry", item_id=late.pk)
    assert escalation.heads == [world.head.user.pk] and escalation.owner_name == "张执法"
    assert LedgerEntry.objects.filter(act="first_contact.escalated").count() == 2
    notices = Notification.objects.filter(event="first_contact.escalated")
    assert notices.count() == 2 and {n.email for n in notices} == {"wang@xinmi.example.cn"}
    assert any("张执法" in n.text for n in notices)
    rows = selectors.first_contact_overdue(actor=world.head.user, today=LATER)
    assert {r["escalated_on"] for r in rows} == {LATER}


def test_the_head_opens_the_list_and_an_officer_is_refused(world):
    inquiry(world)
    head, officer = Client(), Client()
    head.force_login(world.head.user)
    officer.force_login(world.officer.user)
    url = reverse("guidance:overdue")
    assert head.get(url).status_code == 200
    assert officer.get(url).status_code == 403
