"""With the real service app: a licence granted and issued through its services starts its expiry
deadline; the reminder scan finds it, the holder's contact and licence number come from
`service.selectors`, the e-mail goes over SMTP; the follow-up job schedules the licence's follow-up
from `service.selectors.licences_granted_since`."""

from __future__ import annotations

import datetime as dt
import email

import pytest
from django.utils import timezone

from core.testing import evidence_dir, key_dir  # noqa: F401  (fixtures)
from followups import selectors as followup_selectors
from followups import services as followups
from org.tests.factories import AgencyFactory, DepartmentFactory, OfficerFactory
from reminders import services
from reminders.models import Reminder, ReminderRule
from service import selectors as service_selectors
from service import services as service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _store(evidence_dir, key_dir):  # noqa: F811
    return None


def test_a_licence_issued_through_the_service_app_is_reminded_and_followed_up(smtp):
    agency = AgencyFactory(name="信丰县自然资源局")
    clerk = OfficerFactory(
        agency=agency,
        department=DepartmentFactory(agency=agency),
        name="何审批",
        certified_fields=["planning", "land", "mineral"],
    )
    kind = service_selectors.licence_kinds().get(code="construction_project_planning")
    today = timezone.localdate()
    app = service.application_submit(  # at the service window: the clerk is the first contact
        actor=clerk.user,
        agency_id=agency.pk,
        kind_id=kind.pk,
        applicant_name="信丰县某某建材有限公司",
        applicant_id_number="91360722MA35XXXX0K",
        applicant_email="jc@example.com",
        applicant_address="信丰县嘉定镇工业园8号",
        project="厂房扩建工程",
        location="嘉定镇工业园8号",
    )
    service.application_accept(actor=clerk.user, application=app)
    service.application_decide(
        actor=clerk.user,
        application=app,
        grant=True,
        terms={
            "valid_from": today,
            "valid_until": today + dt.timedelta(days=25),
            "risk_level": "medium",
            "conditions": "按批准的设计方案建设",
        },
    )
    licence = service.application_issue(actor=clerk.user, application=app)

    ReminderRule.objects.exclude(code="licence-expiry-holder").update(active=False)
    ten = timezone.make_aware(dt.datetime.combine(today, dt.time(10, 0)))
    result = services.reminders_run(today=today, now=ten)
    assert result["created"] == 1 and result["sent"] == 1
    reminder = Reminder.objects.get()
    assert reminder.reference == licence.number and reminder.email == "jc@example.com"
    ((rcpt, raw),) = smtp.messages
    message = email.message_from_bytes(raw)
    body = message.get_payload(decode=True).decode(message.get_content_charset())
    assert rcpt == ["jc@example.com"] and licence.number in body and reminder.access_code in body
    assert reminder.recipient_name == "信丰县某某建材有限公司"

    scheduled = followups.followups_run(today=today)
    assert scheduled["created"] == 1
    f = followup_selectors.followups_filtered(actor=None).get()
    assert f.subject_type == "service.licence" and f.reference == licence.number
    assert f.due_on == licence.issued_on + dt.timedelta(days=60) and f.status == "scheduled"
    assert followups.followups_run(today=today + dt.timedelta(days=60))["opened"] == 1
