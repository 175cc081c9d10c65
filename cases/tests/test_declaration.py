"""Parametrised over the declaration: every allowed (status, action) passes once its guards are
satisfied; every other pair is refused."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from cases.models import CaseEvent, CaseStatus
from cases.services import TransitionRefused
from cases.services.execution import court_window
from cases.tests.factories import FINE, ROUTES, act, new_case, walk
from cases.workflow.guards import statement_window_end
from cases.workflow.penalty import PENALTY

TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=TZ), tick=False)


def executing_with_orders(world, kinds, orders, facts=None):
    """A case in execution whose decision gives `orders` (e.g. a demolition)."""
    case = walk(new_case(world, facts=facts), world, CaseStatus.INVESTIGATING)
    case = act(case, world, "report", data={**FINE, "kinds": kinds})
    case = act(case, world, "notify")
    case = act(case, world, "record_statement")
    case = act(case, world, "decide", data={"orders": orders})
    case = act(case, world, "deliver")
    return act(case, world, "execute")


DEMOLISH = [{"kind": "demolish", "days": 15, "description": "拆除违法建筑物"}]
CONFISCATE = [{"kind": "confiscate_buildings", "description": "没收新建厂房"}]


def _prepare(world, status, action, heavy):
    """The case and the day on which `action` has its guards satisfied."""
    today = timezone.localdate()
    if action == "check_correction":
        case = walk(new_case(world), world, status)
        return act(case, world, "order_correction"), today
    if action == "verify_order":
        return executing_with_orders(world, ["fine", "demolition"], DEMOLISH), today
    if action == "hand_over_confiscated":
        case = executing_with_orders(world, ["fine", "confiscation"], CONFISCATE, {"buildings": True})
        return case, today
    case = walk(new_case(world), world, status, heavy=heavy)
    if action in {"decide", "decide_no_penalty"} and status in {"notified", "hearing_held"}:
        today = _day_after_windows(case)
    if action in {"serve_reminder", "apply_to_court", "record_court_outcome"}:
        late = case.delivered_on + datetime.timedelta(days=40)  # the payment deadline passed
        with at(late):
            case = act(case, world, "serve_reminder", today=late)
        if action == "serve_reminder":
            return case, late
        first, _last = court_window(case)
        if action == "apply_to_court":
            return case, first
        with at(first):
            case = act(case, world, "apply_to_court", today=first)
        return case, first
    return case, today


ALLOWED = [(s, t.action) for t in PENALTY.transitions for s in t.sources]


def test_every_status_of_the_declaration_has_a_route():
    assert set(ROUTES) == {s for s, _ in PENALTY.states}


def _day_after_windows(case) -> datetime.date:
    end = statement_window_end(case)
    return max(end, case.hearing_date or end) + datetime.timedelta(days=1)


@pytest.mark.parametrize(("status", "action"), ALLOWED, ids=[f"{s}-{a}" for s, a in ALLOWED])
def test_given_guards_satisfied_when_allowed_action_then_it_moves(world, status, action):
    heavy = action == "request_hearing" or status in {"hearing_held"}
    transition = PENALTY.transition(action)
    case, today = _prepare(world, status, action, heavy)
    events_before = CaseEvent.objects.filter(case=case).count()
    with at(today):
        result = act(case, world, action, today=today, heavy=heavy)
    assert result.status == transition.target
    assert CaseEvent.objects.filter(case=case).count() == events_before + 1
    last = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert (last.action, last.from_status, last.to_status) == (action, status, transition.target)


@pytest.mark.parametrize("status", [s for s, _ in PENALTY.states])
def test_given_status_when_undeclared_action_then_refused(world, status):
    case = walk(new_case(world), world, status)
    refused = [t for t in PENALTY.transitions if status not in t.sources]
    assert refused or status == CaseStatus.ARCHIVED
    for transition in refused:
        with pytest.raises(TransitionRefused) as err:
            act(case, world, transition.action)
        assert err.value.violations[0].code == "wrong_status"
        case.refresh_from_db()
        assert case.status == status


def test_the_open_case_index_excludes_what_the_workload_chart_excludes():
    from cases.models import OPEN_EXCLUDED, CaseStatus
    from supervision.selectors import FINISHED

    assert set(OPEN_EXCLUDED) == {*FINISHED, "lead"}
    assert set(OPEN_EXCLUDED) <= set(CaseStatus.values)
