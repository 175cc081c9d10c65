"""Reads of follow-ups, scoped to the actor; the satisfaction figures for supervision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from core.errors import NotFound
from followups.models import Answer, Conduct, Followup, FollowupRule, Satisfaction, Status
from org.selectors import read_agency_ids


def visible_followups(actor: Any) -> QuerySet[Followup]:
    qs = Followup.objects.select_related("rule", "officer")
    ids = read_agency_ids(actor)
    return qs if ids is None else qs.filter(agency_id__in=ids)


def followups_filtered(*, actor: Any, status: str = "", source: str = "", q: str = "") -> QuerySet[Followup]:
    qs = visible_followups(actor)
    if status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(rule__source=source)
    if q:
        qs = qs.filter(Q(reference__icontains=q) | Q(party_name__icontains=q))
    return qs.order_by("-due_on", "-pk")


def followup_get(*, actor: Any, pk: int) -> Followup:
    followup = visible_followups(actor).filter(pk=pk).first()
    if followup is None:
        raise NotFound("回访不存在，或不属于您可以查看的机关。", code="followup_not_found")
    return followup


def rules() -> QuerySet[FollowupRule]:
    return FollowupRule.objects.order_by("source")


def satisfaction_summary(agency_ids: Iterable[int] | None, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Follow-up figures for supervision: the follow-ups due in [start, end] of the agencies (None:
    all) — how many, answered, still to call, not reached; the answers by satisfaction,
    rectification and conduct; the satisfaction rate ((very) satisfied / answered) and the count of
    conduct complaints. Each answer counts once, however it was obtained."""
    followups = Followup.objects.filter(due_on__gte=start, due_on__lte=end)
    if agency_ids is not None:
        followups = followups.filter(agency_id__in=list(agency_ids))
    by_status = dict(followups.order_by().values_list("status").annotate(n=Count("pk")))
    answers = Answer.objects.filter(followup__in=followups.values("pk"))

    def counts(field: str) -> dict[str, int]:
        return {k: n for k, n in answers.order_by().values_list(field).annotate(n=Count("pk"))}

    satisfaction = counts("satisfaction")
    answered = sum(satisfaction.values())
    good = satisfaction.get(Satisfaction.VERY, 0) + satisfaction.get(Satisfaction.SATISFIED, 0)
    conduct = counts("conduct")
    return {
        "start": start,
        "end": end,
        "followups": sum(by_status.values()),
        "answered": answered,
        "to_call": by_status.get(Status.CALL, 0),
        "unreachable": by_status.get(Status.UNREACHABLE, 0),
        "waiting": by_status.get(Status.OPEN, 0) + by_status.get(Status.SCHEDULED, 0),
        "satisfaction": satisfaction,
        "satisfaction_rate": round(good / answered, 4) if answered else None,
        "rectification": counts("rectification"),
        "conduct": conduct,
        "conduct_complaints": answered - conduct.get(Conduct.PROPER, 0),
        "answered_by": counts("answered_by"),
    }
