"""The officer screens, the 提示书 letter issued through the documents app (PDF text extracted), the
holder's portal page (reference + code, throttled, no enumeration)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from core.errors import Conflict, ValidationFailed
from core.models import LedgerEntry
from core.testing import evidence_dir, key_dir  # noqa: F401  (fixtures)
from org.mfa import force_login_verified
from reminders import services
from reminders.models import Reminder, ReminderRule, ReminderStatus, ReminderTask, TaskKind

from .conftest import NOW, TODAY, licence_deadline

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _store(evidence_dir, key_dir):  # noqa: F811
    return None


def only_rules(*codes: str) -> None:
    ReminderRule.objects.exclude(code__in=codes).update(active=False)


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def letter_reminder(world) -> Reminder:
    only_rules("licence-expiry-holder")
    licence_deadline(
        world,
        71,
        due_in=30,
        contact={"name": "新密市某砖厂", "address": "新密市来集镇李堂村", "number": "C4101832009"},
    )
    services.reminders_run(today=TODAY, now=NOW)
    return Reminder.objects.get()


def test_a_letter_task_issues_the_prompt_letter_as_a_document_the_officer_prints(world, client):
    reminder = letter_reminder(world)
    assert reminder.channel == "letter" and reminder.status == ReminderStatus.TASK
    task = ReminderTask.objects.get(kind=TaskKind.LETTER)
    client.force_login(world.officer.user)
    page = client.get(f"/reminders/tasks/{task.pk}/")
    assert page.status_code == 200 and "新密市某砖厂" in page.content.decode()

    response = client.post(f"/reminders/tasks/{task.pk}/letter/")
    assert response.status_code == 302
    pdf = client.get(response["Location"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content).replace("\n", "")
    assert "行政提示书" in text and "新密市某砖厂" in text and "C4101832009" in text
    assert reminder.access_code in text and "新密市来集镇李堂村" in text

    again = client.post(f"/reminders/tasks/{task.pk}/letter/")  # idempotent: the same document
    assert again["Location"] == response["Location"]
    reminder.refresh_from_db()
    assert reminder.document_id is not None
    assert LedgerEntry.objects.filter(act="reminder.letter_issued").count() == 1

    done = client.post(f"/reminders/tasks/{task.pk}/", {"outcome": "reached", "note": "已挂号邮寄"})
    assert done.status_code == 302
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.DELIVERED


def test_the_task_form_keeps_input_and_says_what_is_missing(world, client):
    letter_reminder(world)
    task = ReminderTask.objects.get()
    client.force_login(world.officer.user)
    response = client.post(f"/reminders/tasks/{task.pk}/", {"outcome": "not_reached", "note": ""})
    assert response.status_code == 400
    assert "note" in response.context["form"].errors
    assert 'value="not_reached" required id="id_outcome_1" checked' in response.content.decode()
    assert ReminderTask.objects.get().done_at is None


def test_the_reminder_list_filters_and_paginates(world, client):
    only_rules("licence-expiry-holder")
    for i in range(30):
        licence_deadline(world, 100 + i, due_in=5, contact={"name": f"持证人{i}", "number": f"XK-{i:03d}"})
    services.reminders_scan(today=TODAY, now=NOW)
    client.force_login(world.officer.user)
    first = client.get("/reminders/")
    assert first.status_code == 200
    assert first.context["page"].paginator.count == 30 and len(first.context["page"].object_list) == 25
    filtered = client.get("/reminders/", {"status": "queued", "kind": "licence.expiry"})
    assert filtered.context["page"].paginator.count == 30
    assert client.get("/reminders/", {"status": "sent"}).context["page"].paginator.count == 0
    detail = client.get(f"/reminders/{Reminder.objects.first().pk}/")
    assert detail.status_code == 200
    client.force_login(world.outsider.user)
    assert client.get("/reminders/").context["page"].paginator.count == 0
    assert client.get(f"/reminders/{Reminder.objects.first().pk}/").status_code == 404


def test_rules_page_and_edit_for_the_system_administrator_only(world, client):
    r = ReminderRule.objects.get(code="licence-expiry-holder")
    client.force_login(world.officer.user)
    assert client.get("/reminders/rules/").status_code == 200
    assert client.get(f"/reminders/rules/{r.pk}/").status_code == 403
    force_login_verified(client, world.admin.user)
    bad = client.post(
        f"/reminders/rules/{r.pk}/",
        {
            "version": r.version,
            "name": r.name,
            "offsets": "90, 三十",
            "audience": "party",
            "channels": "sms",
            "template_text": "x",
        },
    )
    assert bad.status_code == 400 and "90, 三十" in bad.content.decode()
    ok = client.post(
        f"/reminders/rules/{r.pk}/",
        {
            "version": r.version,
            "name": r.name,
            "offsets": "60，30",
            "audience": "party",
            "channels": "email, letter",
            "template_text": "{name}：{title}于{due_date}到期",
            "active": "on",
        },
    )
    assert ok.status_code == 302
    r.refresh_from_db()
    assert r.offsets == [60, 30] and r.channels == ["email", "letter"]
    settings_page = client.post(
        "/reminders/settings/",
        {"quiet_start": "22:00", "quiet_end": "07:30", "max_attempts": 4, "retry_base_minutes": 10},
    )
    assert settings_page.status_code == 302
    assert services.delivery_settings().max_attempts == 4


def test_the_holder_sees_their_reminders_with_licence_number_and_code(world, client, smtp):
    only_rules("licence-expiry-holder")
    licence_deadline(
        world, 81, due_in=30, contact={"name": "某矿业公司", "email": "k@example.cn", "number": "C4101832010"}
    )
    services.reminders_run(today=TODAY, now=NOW)
    reminder = Reminder.objects.get()
    page = client.get("/gongkai/reminders/", {"ref": "C4101832010", "code": reminder.access_code.lower()})
    body = page.content.decode()
    assert page.status_code == 200 and "采矿许可证有效期届满" in body and "2026-04-09" in body
    assert page["Cache-Control"] == "no-store"

    wrong = client.get("/gongkai/reminders/", {"ref": "C4101832010", "code": "ABCDEFGH"})
    assert wrong.status_code == 200 and "采矿许可证有效期届满" not in wrong.content.decode()
    other = client.get("/gongkai/reminders/", {"ref": "C4101832011", "code": reminder.access_code})
    assert "采矿许可证有效期届满" not in other.content.decode()


def test_the_portal_lookup_is_throttled(world, client):
    for _ in range(10):
        assert client.get("/gongkai/reminders/", {"ref": "X", "code": "ABCDEFGH"}).status_code == 200
    assert client.get("/gongkai/reminders/", {"ref": "X", "code": "ABCDEFGH"}).status_code == 429


def test_a_task_is_handed_over_to_a_named_colleague_with_the_reason(world, client):
    letter_reminder(world)
    task = ReminderTask.objects.get()
    first_owner = task.assignee_id
    client.force_login(world.officer.user)
    url = f"/reminders/tasks/{task.pk}/"
    page = client.get(url).content.decode()
    assert 'name="action" value="handover"' in page and world.head.name in page
    # no colleague named, no reason: refused on the fields, nothing moves
    bad = client.post(url, {"action": "handover", "officer": "", "reason": ""})
    assert bad.status_code == 400 and ReminderTask.objects.get().assignee_id == first_owner
    with pytest.raises(ValidationFailed) as exc:  # someone of another agency is no colleague
        services.task_handover(
            actor=world.officer.user, task=task, officer_id=world.outsider.pk, reason="熟悉当事人"
        )
    assert "officer" in exc.value.field_errors
    response = client.post(url, {"action": "handover", "officer": str(world.head.pk), "reason": "熟悉当事人"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.assignee_id == world.head.user_id
    [handover] = task.handovers.all()
    assert (handover.from_user_id, handover.to_user_id) == (first_owner, world.head.user_id)
    assert handover.reason == "熟悉当事人"
    entry = LedgerEntry.objects.get(act="reminder.task_handover", object_id=str(task.pk))
    assert '"reason":"熟悉当事人"' in entry.payload
    assert "熟悉当事人" in client.get(url).content.decode()
    # a done task is not handed over
    services.task_record(actor=world.head.user, task=task, outcome="reached", note="已电话提醒")
    with pytest.raises(Conflict):
        services.task_handover(actor=world.head.user, task=task, officer_id=world.officer.pk, reason="再移交")
