"""The daily scan: due-soon / overdue marking, idempotent alerts, e-mail to a real SMTP server."""

import datetime as dt
import email
import re
import socket
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from core.models import Alert, Deadline, LedgerEntry
from core.services import clock
from core.tasks import deadlines_scan_task

pytestmark = pytest.mark.django_db
D = dt.date
S = Deadline.Status


def recipients_for_test(*, agency_id, responsible):
    """Stand-in for org's resolver: the responsible officer and every user named head<agency>."""
    heads = list(get_user_model().objects.filter(username__startswith=f"head{agency_id}"))
    return ([responsible] if responsible is not None else []) + heads


pytestmark = [pytest.mark.django_db,
              pytest.mark.usefixtures("recipients")]


@pytest.fixture
def recipients():
    with override_settings(ZHIFA_ALERT_RECIPIENTS="core.tests.test_deadline_scan.recipients_for_test"):
        yield


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    mailers = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                           "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10}}}
    try:
        with override_settings(MAILERS=mailers):
            yield sink
    finally:
        controller.stop()


@pytest.fixture
def people():
    User = get_user_model()
    return {
        "officer": User.objects.create_user("officer1", email="officer1@example.cn", password="x"),
        "head": User.objects.create_user("head1", email="head1@example.cn", password="x"),
        "other": User.objects.create_user("officer2", email="", password="x"),
    }


def start(people, start_date, amount=5, warn=2, who="officer", title="作出行政处罚决定"):
    return clock.deadline_start(
        actor=people["officer"], subject=people["officer"], agency_id=1, kind="penalty.decision",
        title=title, legal_basis="《行政处罚法》第六十条", unit=Deadline.Unit.WORKDAYS, amount=amount,
        start_date=start_date, responsible=people[who], warn_days=warn, today=start_date,
    )


def decoded(raw: bytes):
    msg = email.message_from_bytes(raw)
    subject = str(make_header(decode_header(msg["Subject"])))
    body = msg.get_payload(decode=True).decode(msg.get_content_charset())
    return msg, subject, body


def test_given_deadlines_when_scanned_then_due_soon_and_overdue_marked_and_alerts_raised(
    people, smtp, django_capture_on_commit_callbacks
):
    today = D(2026, 3, 10)  # Tuesday
    soon = start(people, D(2026, 3, 5))  # due 03-12: 2 working days ahead
    late = start(people, D(2026, 2, 26), title="送达处罚决定书")  # due 03-04: overdue
    far = start(people, D(2026, 3, 9), amount=20)
    paused = start(people, D(2026, 2, 26), who="other")
    clock.deadline_pause(actor=people["officer"], deadline=paused, reason="听证", on=D(2026, 3, 2))
    done = start(people, D(2026, 2, 26))
    clock.deadline_satisfy(actor=people["officer"], deadline=done, by_act="x")

    with django_capture_on_commit_callbacks(execute=True):
        result = clock.deadlines_scan(today=today)

    assert (result.overdue, result.due_soon) == (1, 1)
    statuses = dict(Deadline.objects.values_list("pk", "status"))
    assert statuses[soon.pk] == S.DUE_SOON and statuses[late.pk] == S.OVERDUE
    assert statuses[far.pk] == S.OPEN and statuses[paused.pk] == S.PAUSED and statuses[done.pk] == S.SATISFIED
    alerts = set(Alert.objects.values_list("deadline_id", "recipient__username", "level"))
    assert alerts == {
        (soon.pk, "officer1", "due_soon"), (soon.pk, "head1", "due_soon"),
        (late.pk, "officer1", "overdue"), (late.pk, "head1", "overdue"),
    }
    assert result.alerts == 4
    # One digest per recipient, to the right address, with the Chinese titles; all marked mailed.
    by_rcpt = {tuple(r): raw for r, raw in smtp.messages}
    assert set(by_rcpt) == {("officer1@example.cn",), ("head1@example.cn",)}
    msg, subject, body = decoded(by_rcpt[("officer1@example.cn",)])
    assert msg["To"] == "officer1@example.cn"
    # 02-28 is a make-up working day, so the overdue one was due 03-04.
    assert "作出行政处罚决定" in body and "送达处罚决定书" in body and "2026-03-04" in body
    assert "1" in subject
    assert not Alert.objects.filter(emailed_at__isnull=True).exists()
    assert LedgerEntry.objects.filter(act="deadline.scan").count() == 1


def test_running_the_scan_twice_creates_nothing_new_and_sends_nothing_new(people, smtp,
                                                                           django_capture_on_commit_callbacks):
    start(people, D(2026, 3, 5))
    start(people, D(2026, 2, 26))
    with django_capture_on_commit_callbacks(execute=True):
        clock.deadlines_scan(today=D(2026, 3, 10))
    n_alerts, n_mail = Alert.objects.count(), len(smtp.messages)
    with django_capture_on_commit_callbacks(execute=True):
        again = clock.deadlines_scan(today=D(2026, 3, 10))
    assert (again.overdue, again.due_soon, again.alerts) == (0, 0, 0)
    assert Alert.objects.count() == n_alerts == 4 and len(smtp.messages) == n_mail == 2


def test_a_due_soon_deadline_that_becomes_overdue_gets_an_overdue_alert(people, smtp,
                                                                         django_capture_on_commit_callbacks):
    d = start(people, D(2026, 3, 5))
    with django_capture_on_commit_callbacks(execute=True):
        clock.deadlines_scan(today=D(2026, 3, 11))
        clock.deadlines_scan(today=D(2026, 3, 13))
    mine = Alert.objects.filter(recipient=people["officer"], deadline=d)
    levels = sorted(mine.values_list("level", flat=True))
    assert levels == ["due_soon", "overdue"]


def test_mail_failure_leaves_alerts_unsent_for_the_next_scan(people, django_capture_on_commit_callbacks):
    start(people, D(2026, 2, 26))
    dead = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                        "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2}}}
    with override_settings(MAILERS=dead), django_capture_on_commit_callbacks(execute=True):
        clock.deadlines_scan(today=D(2026, 3, 10))
    assert Alert.objects.count() == 2 and Alert.objects.filter(emailed_at__isnull=True).count() == 2


def test_scan_reopens_an_overdue_deadline_whose_due_date_moved_later(people):
    d = start(people, D(2026, 2, 26))
    clock.deadlines_scan(today=D(2026, 3, 10))
    Deadline.objects.filter(pk=d.pk).update(due_date=D(2026, 4, 30))
    r = clock.deadlines_scan(today=D(2026, 3, 10))
    assert r.reopened == 1
    d.refresh_from_db()
    assert d.status == S.OPEN


def test_the_task_and_the_command_run_the_scan(people, capsys):
    start(people, D(2026, 2, 26))
    result = deadlines_scan_task.call()
    assert result["overdue"] == 1
    call_command("deadlines", "scan")
    out = capsys.readouterr().out
    assert "overdue" in out or "超期" in out


@pytest.mark.parametrize("keys_per_insert", [1, 500])
def test_alerts_go_to_each_deadlines_responsible_and_its_agencys_heads_also_without_a_responsible(
    people, keys_per_insert, monkeypatch
):
    monkeypatch.setattr(clock, "ALERT_KEYS_PER_INSERT", keys_per_insert)
    User = get_user_model()
    head2 = User.objects.create_user("head2", email="head2@example.cn", password="x")
    officer3 = User.objects.create_user("officer3", email="officer3@example.cn", password="x")

    def late(agency_id, responsible, title):
        return clock.deadline_start(
            actor=people["officer"], subject=people["officer"], agency_id=agency_id, kind="k", title=title,
            legal_basis="", unit=Deadline.Unit.WORKDAYS, amount=5, start_date=D(2026, 2, 26),
            responsible=responsible, today=D(2026, 2, 26),
        )

    mine = late(1, people["officer"], "一")
    nobodys = late(1, None, "二")
    theirs = late(2, officer3, "三")
    soon = start(people, D(2026, 3, 5), who="other")

    result = clock.deadlines_scan(today=D(2026, 3, 10))

    alerts = set(Alert.objects.values_list("deadline_id", "recipient__username", "level"))
    assert alerts == {
        (mine.pk, "officer1", "overdue"), (mine.pk, "head1", "overdue"),
        (nobodys.pk, "head1", "overdue"),
        (theirs.pk, "officer3", "overdue"), (theirs.pk, head2.username, "overdue"),
        (soon.pk, "officer2", "due_soon"), (soon.pk, "head1", "due_soon"),
    }
    assert result.alerts == 7
    assert set(Deadline.objects.values_list("alert_level", flat=True)) == {"overdue", "due_soon"}


def test_a_scan_skips_alerts_that_already_exist_and_counts_only_new_ones(people):
    d = start(people, D(2026, 2, 26))
    clock.deadlines_scan(today=D(2026, 3, 10))
    # As if the level marker were lost: the unique (deadline, recipient, level) keeps one alert each.
    Deadline.objects.filter(pk=d.pk).update(alert_level="")
    User = get_user_model()
    User.objects.create_user("head1b", email="head1b@example.cn", password="x")

    again = clock.deadlines_scan(today=D(2026, 3, 10))

    assert again.alerts == 1
    assert sorted(Alert.objects.filter(deadline=d).values_list("recipient__username", flat=True)) == [
        "head1", "head1b", "officer1"]
    assert Deadline.objects.get(pk=d.pk).alert_level == S.OVERDUE


def test_a_digest_counts_every_pending_alert_and_lists_the_earliest_due_first(
    people, smtp, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(clock, "MAIL_LINES", 3)
    for day, title in [(D(2026, 2, 25), "乙"), (D(2026, 2, 20), "甲"), (D(2026, 2, 26), "丙"),
                       (D(2026, 2, 27), "丁"), (D(2026, 3, 2), "戊")]:
        start(people, day, title=title)
    start(people, D(2026, 3, 5), title="己")  # due soon

    with django_capture_on_commit_callbacks(execute=True):
        clock.deadlines_scan(today=D(2026, 3, 10))

    by_rcpt = {tuple(r): raw for r, raw in smtp.messages}
    assert set(by_rcpt) == {("officer1@example.cn",), ("head1@example.cn",)}
    _msg, subject, body = decoded(by_rcpt[("officer1@example.cn",)])
    assert [int(n) for n in re.findall(r"\d+", subject)] == [5, 1]
    listed = [t for t in "甲乙丙丁戊己" if t in body]
    assert listed == ["甲", "乙", "丙"]
    assert body.index("甲") < body.index("乙") < body.index("丙")
    assert "3" in body.splitlines()[-1]
    assert not Alert.objects.filter(emailed_at__isnull=True).exists()
