"""Parametrised over the declaration: every allowed (status, action) passes once its guards are
satisfied; every other pair is refused."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.models import CaseEvent, CaseStatus
from cases.services import TransitionRefused
from cases.tests.factories import ROUTES, act, new_case, walk
from cases.workflow.guards import statement_window_end
from cases.workflow.penalty import PENALTY

ALLOWED = [(s, t.action) for t in PENALTY.transitions for s in t.sources]


def test_every_status_of_the_declaration_has_a_route():
    assert set(ROUTES) == {s for s, _ in PENALTY.states}


def _day_after_windows(case) -> datetime.date:
    end = statement_window_end(case)
    return max(end, case.hearing_date or end) + datetime.timedelta(days=1)


@pytest.mark.parametrize(("status", "action"), ALLOWED, ids=[f"{s}-{a}" for s, a in ALLOWED])
def test_given_guards_satisfied_when_allowed_action_then_it_moves(world, status, action):
    heavy = action == "request_hearing" or status in {"hearing_held"}
    case = walk(new_case(world), world, status, heavy=heavy)
    transition = PENALTY.transition(action)
    today = timezone.localdate()
    if action in {"decide", "decide_no_penalty"} and status in {"notified", "hearing_held"}:
        today = _day_after_windows(case)
    events_before = CaseEvent.objects.filter(case=case).count()
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
