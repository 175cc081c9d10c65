"""The one way a case changes status: `case_act` evaluates the declared transition and `_move` writes.

`_move` is the only code that assigns `Case.status`. Every move writes a CaseEvent and a ledger entry
in the act's transaction; a stale `version` (another officer acted first) raises Conflict.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import policies
from cases.memo import memo_scope
from cases.models import Case, CaseEvent
from cases.workflow.engine import Context, Transition, Violation, Workflow, evaluate
from cases.workflow.penalty import PENALTY
from cases.workflow.summary import SUMMARY
from core.errors import Conflict, DomainError, ValidationFailed
from core.services.ledger import ledger_append

WORKFLOWS: dict[str, Workflow] = {"general": PENALTY, "summary": SUMMARY}


class TransitionRefused(DomainError):
    """One or more guards failed; `violations` lists every one (code, message, basis)."""

    code = "transition_refused"
    status = 409

    def __init__(self, message: Any, *, violations: list[Violation], code: str | None = None) -> None:
        super().__init__(message, code=code, basis="；".join(v.basis for v in violations if v.basis))
        self.violations = violations

    def as_dict(self) -> dict[str, Any]:
        body = super().as_dict()
        body["violations"] = [v.as_dict() for v in self.violations]
        return body


def workflow_for(case: Case) -> Workflow:
    return WORKFLOWS.get(case.procedure, PENALTY)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items() if not str(k).startswith("_")}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value


def _event(
    *, case: Case, action: str, from_status: str, to_status: str, actor: Any, payload: dict[str, Any]
) -> CaseEvent:
    last = CaseEvent.objects.filter(case=case).order_by("-seq").values_list("seq", flat=True).first() or 0
    return CaseEvent.objects.create(
        case=case,
        seq=last + 1,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor if getattr(actor, "pk", None) else None,
        payload=payload,
        at=timezone.now(),
    )


def _move(
    case: Case, *, to: str, actor: Any, action: str, payload: dict[str, Any] | None = None
) -> CaseEvent:
    """The only assignment of `case.status`: bump the version, save, write the event and the ledger entry."""
    from_status = case.status
    body = _jsonable(payload or {})
    case.status = to
    case.version += 1
    case.save()
    event = _event(case=case, action=action, from_status=from_status, to_status=to, actor=actor, payload=body)
    ledger_append(
        actor=actor,
        act=f"case.{action}",
        obj=case,
        agency_id=case.agency_id,
        payload={"from": from_status, "to": to, "seq": event.seq, "version": case.version, **body},
    )
    return event


def record_created(case: Case, *, actor: Any, payload: dict[str, Any]) -> CaseEvent:
    """The first event of a case (its status is the model default, the workflow's initial state)."""
    body = _jsonable(payload)
    event = _event(
        case=case, action="create", from_status="", to_status=case.status, actor=actor, payload=body
    )
    ledger_append(
        actor=actor,
        act="case.create",
        obj=case,
        agency_id=case.agency_id,
        payload={"to": case.status, "seq": event.seq, **body},
    )
    return event


def _wrong_status(case: Case, transition: Transition, workflow: Workflow) -> Violation:
    return Violation(
        "wrong_status",
        _("“%(action)s” is possible only when the case is %(sources)s; it is %(status)s.")
        % {
            "action": transition.label,
            "sources": "、".join(str(workflow.state_label(s)) for s in transition.sources),
            "status": workflow.state_label(case.status),
        },
        "",
    )


def _refused(violations: list[Violation], transition: Transition | None, action: str) -> TransitionRefused:
    label = transition.label if transition is not None else action
    lines = "；".join(f"{v.message}（{v.basis}）" if v.basis else str(v.message) for v in violations)
    return TransitionRefused(
        _("“%(action)s” is refused: %(reasons)s") % {"action": label, "reasons": lines},
        violations=violations,
        code=violations[0].code if len(violations) == 1 else None,
    )


def act_key(case: Case, action: str) -> str:
    """The idempotency key of one act: the case, the version it acts on (every act bumps it) and the
    action; the documents the act issues are issued under it."""
    return f"case-{case.pk}-v{case.version}-{action}"


def case_act(
    *,
    case: Case,
    actor: Any,
    action: str,
    data: Mapping[str, Any] | None = None,
    today: datetime.date | None = None,
) -> Case:
    """Perform one action of the case's procedure (all guards, then the effects, then `_move`).

    `case.version` is the version the actor saw; if the case changed since, Conflict. `data` may
    also carry "version" (the API's form of the same check).
    """
    data = dict(data or {})
    policies.ensure(actor, "act", case)
    workflow = workflow_for(case)
    transition = workflow.transition(action)
    if transition is None:
        raise ValidationFailed(_("Unknown action “%(action)s”.") % {"action": action}, code="unknown_action")
    seen_version = int(data.pop("version", case.version))
    cleaned = transition.clean(data) if transition.clean else dict(data)
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("lead", "agency").get(pk=case.pk)
        if locked.version != seen_version:
            raise Conflict(
                _(
                    "Case %(case)s was changed by someone else meanwhile (it is now %(status)s); "
                    "reload it and try again."
                )
                % {"case": locked, "status": workflow.state_label(locked.status)},
                code="case_version_conflict",
            )
        if locked.status not in transition.sources:
            raise _refused([_wrong_status(locked, transition, workflow)], transition, action)
        ctx = Context(
            case=locked,
            actor=actor,
            action=action,
            data=cleaned,
            today=today or timezone.localdate(),
            key=act_key(locked, action),
        )
        violations = evaluate(transition, ctx)
        if violations:
            raise _refused(violations, transition, action)
        flagged = evaluate(transition, ctx, warnings=True)
        if flagged:
            ctx.notes["warnings"] = [v.as_dict() for v in flagged]
        for effect in transition.effects:
            effect(ctx)
        notes = {k: v for k, v in ctx.notes.items() if not k.startswith("_")}
        _move(locked, to=transition.target, actor=actor, action=action, payload={"data": cleaned, **notes})
    case.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def available_actions(
    *, case: Case, actor: Any, today: datetime.date | None = None, current_only: bool = False
) -> list[dict[str, Any]]:
    """For every action of the procedure: may the actor do it now, and if not, every reason; and
    the warnings the act would carry (it is allowed, but e.g. late). `current_only`: only the
    actions from the case's status (the case page shows no others)."""
    with memo_scope():
        return _available_actions(case=case, actor=actor, today=today, current_only=current_only)


def _available_actions(
    *, case: Case, actor: Any, today: datetime.date | None, current_only: bool
) -> list[dict[str, Any]]:
    workflow = workflow_for(case)
    refusal = policies.reason_refused(actor, "act", case)
    out: list[dict[str, Any]] = []
    for transition in workflow.transitions:
        if current_only and case.status not in transition.sources:
            continue
        blocked: list[Violation] = []
        flagged: list[Violation] = []
        if refusal is not None:
            blocked.append(Violation("permission_denied", refusal, ""))
        if case.status not in transition.sources:
            blocked.append(_wrong_status(case, transition, workflow))
        else:
            ctx = Context(
                case=case,
                actor=actor,
                action=transition.action,
                data={},
                today=today or timezone.localdate(),
                preview=True,
            )
            blocked.extend(evaluate(transition, ctx))
            flagged = evaluate(transition, ctx, warnings=True)
        out.append(
            {
                "action": transition.action,
                "label": str(transition.label),
                "allowed": not blocked,
                "blocked_by": [v.as_dict() for v in blocked],
                "warnings": [v.as_dict() for v in flagged],
            }
        )
    return out
