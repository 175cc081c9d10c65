"""Withdrawal on revocation (行政处罚法 Art.48(2)): from any status, within 3 working days."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.models import Deadline, LedgerEntry, LegalSetting
from core.services.calendar import add_workdays, months_later
from core.services.clock import deadlines_scan
from publicity.models import Publication, PublicationStatus
from publicity.services import (
    WITHDRAWAL_DEADLINE,
    publication_approve,
    publication_publish,
    publication_withdraw,
    publication_withdraw_for_case,
)

pytestmark = pytest.mark.django_db
REASON = "经行政复议，原决定被撤销，依法撤回公开（行政处罚法第四十八条第二款）"


def _deadline(pub):
    return Deadline.objects.get(kind=WITHDRAWAL_DEADLINE, subject_id=str(pub.pk))


@pytest.mark.parametrize("stage", ["masked", "approved"])
def test_revocation_before_publication_withdraws_the_draft(draft, reviewer, stage):
    if stage == "approved":
        publication_approve(actor=reviewer, publication=draft)
    [pub] = publication_withdraw_for_case(
        actor=None, case_id=42, reason=REASON, revoked_on=datetime.date.today()
    )
    assert pub.status == PublicationStatus.WITHDRAWN and pub.published_at is None
    # never public: neither the page nor the list nor the open data shows it
    client = Client()
    assert client.get(reverse("publicity:decision_detail", args=[pub.public_id])).status_code == 404
    assert str(pub.public_id) not in client.get(reverse("publicity:decisions")).content.decode()
    assert str(pub.public_id) not in client.get(reverse("publicity:open_data_json")).content.decode()
    # and it can no longer be published
    with pytest.raises(DomainError) as exc:
        publication_publish(actor=reviewer, publication=pub)
    assert exc.value.code == "publication_transition"
    entry = LedgerEntry.objects.filter(act="publication.withdraw", object_id=str(pub.pk)).get()
    assert json.loads(entry.payload)["was_published"] is False


def test_revocation_withdraws_the_published_decision_within_three_working_days(published):
    today = datetime.date.today()
    [pub] = publication_withdraw_for_case(actor=None, case_id=42, reason=REASON, revoked_on=today)
    assert pub.status == PublicationStatus.WITHDRAWN
    deadline = _deadline(pub)
    assert deadline.amount == 3 and deadline.unit == "workdays"
    assert deadline.due_date == add_workdays(today, 3).date
    assert deadline.status == Deadline.Status.SATISFIED and deadline.satisfied_by == "publication.withdraw"
    assert deadline.satisfied_at.date() <= deadline.due_date
    body = Client().get(reverse("publicity:decision_detail", args=[pub.public_id])).content.decode()
    assert "撤回" in body and REASON in body
    assert pub.masked_text[:40] not in body


def test_reviewer_withdraws_later_and_the_clock_flags_it_when_late(published, reviewer):
    revoked = datetime.date.today() - datetime.timedelta(days=14)  # at least 3 working days ago
    [pub] = publication_withdraw_for_case(
        actor=None, case_id=42, reason=REASON, revoked_on=revoked, withdraw_now=False
    )
    assert pub.status == PublicationStatus.PUBLISHED
    deadlines_scan()
    deadline = _deadline(pub)
    assert deadline.status == Deadline.Status.OVERDUE
    publication_withdraw(actor=reviewer, publication=pub, reason=REASON)
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.SATISFIED
    satisfied = LedgerEntry.objects.filter(act="deadline.satisfied", object_id=str(deadline.pk)).get()
    assert json.loads(satisfied.payload)["late"] is True


def test_the_three_days_are_a_setting(published):
    LegalSetting.objects.filter(key="publicity.withdraw_workdays").update(value=5)
    today = datetime.date.today()
    [pub] = publication_withdraw_for_case(actor=None, case_id=42, reason=REASON, revoked_on=today)
    assert _deadline(pub).due_date == add_workdays(today, 5).date


def test_idempotent_and_needs_a_reason(published):
    with pytest.raises(DomainError):
        publication_withdraw_for_case(actor=None, case_id=42, reason=" ", revoked_on=datetime.date.today())
    publication_withdraw_for_case(actor=None, case_id=42, reason=REASON, revoked_on=datetime.date.today())
    assert (
        publication_withdraw_for_case(actor=None, case_id=42, reason=REASON, revoked_on=datetime.date.today())
        == []
    )
    assert Deadline.objects.filter(kind=WITHDRAWAL_DEADLINE).count() == 1
    assert Publication.objects.get(pk=published.pk).status == PublicationStatus.WITHDRAWN


def test_a_plain_officer_may_not_withdraw(published, drafter):
    from core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        publication_withdraw_for_case(
            actor=drafter, case_id=42, reason=REASON, revoked_on=datetime.date.today()
        )
    assert Publication.objects.get(pk=published.pk).status == PublicationStatus.PUBLISHED


def test_the_display_period_ends_and_the_decision_leaves_the_portal(published):
    from publicity.models import SearchEntry
    from publicity.services import publications_expire

    published_on = timezone.localtime(published.published_at).date()  # the day in Asia/Shanghai
    assert publications_expire(today=published_on + datetime.timedelta(days=365 * 3 - 1)) == 0
    LegalSetting.objects.filter(key="publicity.display_years").update(value=1)
    last_day = months_later(published_on, 12)  # the display period's last day
    assert publications_expire(today=last_day) == 0  # still shown on its last day
    assert publications_expire(today=last_day + datetime.timedelta(days=1)) == 1
    assert publications_expire(today=last_day + datetime.timedelta(days=2)) == 0  # idempotent
    pub = Publication.objects.get(pk=published.pk)
    assert pub.status == PublicationStatus.EXPIRED and not SearchEntry.objects.exists()
    client = Client()
    assert client.get(reverse("publicity:decision_detail", args=[pub.public_id])).status_code == 404
    assert str(pub.public_id) not in client.get(reverse("publicity:open_data_json")).content.decode()
    assert LedgerEntry.objects.filter(act="publication.expire", object_id=str(pub.pk)).exists()
