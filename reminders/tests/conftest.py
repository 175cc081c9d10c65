from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from core.models import Deadline
from core.services.clock import deadline_start
from org.roles import Role
from org.tests.factories import AgencyFactory, OfficerFactory
from reminders import contacts
from reminders.testing import SmsGatewayDouble, SmtpSink

TODAY = dt.date(2026, 3, 10)
# 10:00 in Shanghai: outside the default quiet hours (21:00–08:00).
NOW = timezone.make_aware(dt.datetime(2026, 3, 10, 10, 0), timezone.get_fixed_timezone(480))
SECRET = "callback-secret"

# Contacts of the test subjects, by subject id (the "party" of each deadline).
CONTACTS: dict[str, dict[str, str]] = {}


def contact_for(subject_id: Any) -> dict[str, str]:
    found = CONTACTS.get(str(subject_id))
    if found is not None:
        return found
    # Worker processes (scratch databases) have no CONTACTS: derive one from the id.
    return {
        "name": f"持证人{subject_id}",
        "email": f"holder{subject_id}@example.cn",
        "number": f"XK-{subject_id}",
    }


@pytest.fixture(autouse=True)
def _resolver(monkeypatch):
    monkeypatch.setitem(contacts.RESOLVERS, "org.officer", "reminders.tests.conftest.contact_for")
    CONTACTS.clear()
    cache.clear()
    yield
    CONTACTS.clear()
    cache.clear()


@dataclass
class World:
    agency: Any
    officer: Any
    head: Any
    admin: Any
    outsider: Any


@pytest.fixture
def world(db) -> World:
    agency = AgencyFactory(name="新密市自然资源局")
    officer = OfficerFactory(agency=agency, name="王执法")
    officer.user.email = "wang@xinmi.example.cn"
    officer.user.save()
    return World(
        agency=agency,
        officer=officer,
        head=OfficerFactory(agency=agency, roles=[Role.HEAD, Role.OFFICER], name="李局长"),
        admin=OfficerFactory(agency=agency, roles=[Role.SYSTEM_ADMIN], name="系统管理员"),
        outsider=OfficerFactory(name="外局员"),
    )


def licence_deadline(
    world: World,
    subject_id: int,
    *,
    due_in: int,
    contact: dict[str, str] | None = None,
    kind: str = "licence.expiry",
    today: dt.date = TODAY,
) -> Deadline:
    """A licence-expiry deadline due `due_in` days after `today` on a test subject."""
    if contact is not None:
        CONTACTS[str(subject_id)] = contact
    deadline = deadline_start(
        actor=None,
        subject=world.officer,
        agency_id=world.agency.pk,
        kind=kind,
        title="采矿许可证有效期届满",
        legal_basis="《行政许可法》第五十条",
        unit=Deadline.Unit.CALENDAR_DAYS,
        amount=1,
        start_date=today,
        responsible=world.officer.user,
        warn_days=0,
        today=today,
    )
    # The exact due date the test needs (a calendar period may roll over a holiday).
    deadline.due_date = today + dt.timedelta(days=due_in)
    deadline.status = Deadline.Status.OPEN if due_in >= 0 else Deadline.Status.OVERDUE
    deadline.subject_id = str(subject_id)
    deadline.subject_type = ContentType.objects.get(app_label="org", model="officer")
    deadline.save(update_fields=["due_date", "status", "subject_id", "subject_type"])
    return deadline


@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    try:
        with override_settings(MAILERS=sink.mailers()):
            yield sink
    finally:
        sink.stop()


@pytest.fixture
def gateway():
    double = SmsGatewayDouble().start()
    try:
        with override_settings(
            ZHIFA_SMS_GATEWAY_URL=double.url,
            ZHIFA_SMS_API_KEY=double.api_key,
            ZHIFA_SMS_CALLBACK_SECRET=SECRET,
        ):
            yield double
    finally:
        double.stop()
