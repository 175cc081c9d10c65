"""Given an accepted application, when the licence calls for a hearing (行政许可法 Arts.46–48), then
each step is a record with its time limit on the clock: the right notified in writing with 5 days to
request, the decision clock stopped while the hearing runs, the hearing notified 7 days before and held
within 20 days by someone other than the examining officer, and the record restarting the clock."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import Deadline, LedgerEntry
from core.services.calendar import calendar_snapshot
from documents.rendering import pdf_text
from documents.services import document_pdf
from service import selectors, services
from service.models import AppStatus, HearingStatus
from service.services.hearings import HEARING_TRANSITIONS, _move_hearing
from service.tests.conftest import submit

pytestmark = pytest.mark.django_db
REASON = "涉及他人重大利益"


def accepted(world):
    app = submit(world)
    services.application_take(actor=world.clerk.user, application=app)
    services.application_accept(actor=world.clerk.user, application=app)
    return app


def _doc_text(app, kind, actor):
    doc = services.subject_documents(app).get(kind=kind)
    return pdf_text(document_pdf(actor=actor, document=doc)).replace("\n", "")


def test_hearing_from_notice_to_record_stops_and_restarts_the_decision_clock(world):
    app = accepted(world)
    today = timezone.localdate()
    snap = calendar_snapshot()
    hearing = services.hearing_notify_right(
        actor=world.clerk.user, application=app, reason="该许可事项直接关系相邻权利人的重大利益"
    )
    assert hearing.status == HearingStatus.NOTIFIED
    limit = selectors.subject_deadlines(hearing, kind="service.hearing_request").get()
    assert limit.unit == Deadline.Unit.WORKDAYS and limit.amount == 5
    assert limit.due_date == snap.add_workdays(today, 5).date
    text = _doc_text(app, "licence_hearing_right", world.clerk.user)
    assert "行政许可听证告知书" in text and "第四十七条" in text and "相邻权利人" in text

    services.hearing_request(actor=world.clerk.user, hearing=hearing, requested_by="申请人及相邻住户张某")
    app.refresh_from_db()
    assert hearing.status == HearingStatus.REQUESTED and app.status == AppStatus.PAUSED
    decision = selectors.subject_deadlines(app, kind="service.decision", open_only=True).get()
    assert decision.status == Deadline.Status.PAUSED
    hold = selectors.subject_deadlines(hearing, kind="service.hearing_hold", open_only=True).get()
    assert hold.amount == 20 and hold.due_date == snap.add_workdays(today, 20).date
    assert selectors.subject_deadlines(hearing, kind="service.hearing_request").get().status == "satisfied"

    too_soon = snap.add_workdays(today, 6).date
    with pytest.raises(ValidationFailed) as exc:
        services.hearing_schedule(
            actor=world.clerk.user, hearing=hearing, hearing_on=too_soon, hearing_time="上午9时",
            place="三楼听证室", presiding="李法规",
        )  # fmt: skip
    assert "hearing_on" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        services.hearing_schedule(
            actor=world.clerk.user, hearing=hearing, hearing_on=snap.add_workdays(today, 8).date,
            hearing_time="上午9时", place="三楼听证室", presiding=world.clerk.name,
        )  # fmt: skip
    assert "presiding" in exc.value.field_errors
    with pytest.raises(Conflict) as conflict:
        services.hearing_schedule(
            actor=world.clerk.user, hearing=hearing, hearing_on=snap.add_workdays(today, 25).date,
            hearing_time="上午9时", place="三楼听证室", presiding="李法规",
        )  # fmt: skip
    assert conflict.value.code == "hearing_too_late"
    on = snap.add_workdays(today, 7).date
    services.hearing_schedule(
        actor=world.clerk.user, hearing=hearing, hearing_on=on, hearing_time="上午9时30分",
        place="三楼听证室", presiding="李法规", public=True,
    )  # fmt: skip
    assert hearing.status == HearingStatus.SCHEDULED and hearing.notice_on == today
    text = _doc_text(app, "licence_hearing_notice", world.clerk.user)
    assert "行政许可听证通知书" in text and "三楼听证室" in text and "回避" in text and "李法规" in text
    public = selectors.public_status(app)
    assert public["hearing"]["hearing_on"] == on and public["hearing"]["place"] == "三楼听证室"

    with pytest.raises(ValidationFailed):
        services.hearing_record(actor=world.clerk.user, hearing=hearing, record="", held_on=on)
    services.hearing_record(
        actor=world.clerk.user, hearing=hearing, record="申请人陈述……相邻住户意见……", attendees="张某、李某",
        held_on=on,
    )  # fmt: skip
    app.refresh_from_db()
    assert hearing.status == HearingStatus.HELD and app.status == AppStatus.ACCEPTED
    resumed = selectors.subject_deadlines(app, kind="service.decision", open_only=True).get()
    assert resumed.status != Deadline.Status.PAUSED and resumed.due_date > decision.due_date
    assert selectors.subject_deadlines(hearing, kind="service.hearing_hold").get().status == "satisfied"
    entries = LedgerEntry.objects.filter(act__startswith="hearing.", object_id=str(hearing.pk))
    acts = list(entries.order_by("seq").values_list("act", flat=True))
    assert acts == ["hearing.notify", "hearing.request", "hearing.schedule", "hearing.record"]


def test_late_request_is_refused_and_waiver_needs_the_time_limit_or_a_renunciation(world):
    app = accepted(world)
    hearing = services.hearing_notify_right(actor=world.clerk.user, application=app, reason=REASON)
    with pytest.raises(Conflict) as exc:
        services.hearing_notify_right(actor=world.clerk.user, application=app, reason="再次告知")
    assert exc.value.code == "hearing_open"
    due = selectors.subject_deadlines(hearing, kind="service.hearing_request").get().due_date
    with pytest.raises(Conflict) as exc:
        services.hearing_request(
            actor=world.clerk.user, hearing=hearing, requested_by="张某", on=due + datetime.timedelta(days=1)
        )
    assert exc.value.code == "hearing_request_late"
    with pytest.raises(Conflict) as exc:
        services.hearing_waive(actor=world.clerk.user, hearing=hearing)
    assert exc.value.code == "hearing_request_open"
    services.hearing_waive(actor=world.clerk.user, hearing=hearing, note="申请人书面声明放弃听证")
    assert hearing.status == HearingStatus.WAIVED
    assert not selectors.subject_deadlines(hearing, open_only=True).exists()
    app.refresh_from_db()
    assert app.status == AppStatus.ACCEPTED  # the decision clock never stopped


def test_only_the_responsible_certified_officer_or_a_head_runs_the_hearing(world):
    app = accepted(world)
    with pytest.raises(PermissionDenied):
        services.hearing_notify_right(actor=world.colleague.user, application=app, reason="涉及他人重大利益")
    hearing = services.hearing_notify_right(actor=world.head.user, application=app, reason="涉及他人重大利益")
    with pytest.raises(PermissionDenied):
        services.hearing_request(actor=world.outsider.user, hearing=hearing, requested_by="张某")


def test_hearing_transition_table_is_enforced_pairwise(world):
    app = accepted(world)
    hearing = services.hearing_notify_right(actor=world.clerk.user, application=app, reason=REASON)
    for start in HearingStatus.values:
        for to in HearingStatus.values:
            hearing.status = start
            if to in HEARING_TRANSITIONS[start]:
                _move_hearing(hearing, to=to, actor=None, act="hearing.request")
                assert hearing.status == to
            else:
                with pytest.raises(Conflict):
                    _move_hearing(hearing, to=to, actor=None, act="hearing.request")
