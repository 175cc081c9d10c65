"""Documents in the workflow: the `documents_ready(kind)` guard and the `issue_document(kind)` effect.

The guard builds the kind's context from the case (and the act's body) and checks the required keys
(documents.services.kind_context_keys) without rendering, so `available_actions` can say, in Chinese
and with the article, why an act is not possible yet (e.g. 行政处罚法 Art.59: the decision must name
the party's address). The effect issues the document through `documents.services.document_issue`
inside the act's transaction: a refusal while rendering rolls the whole act back, its number too.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from cases.documents import (
    HINTS,
    KIND_BASIS,
    SUBJECT_TYPE,
    case_document_context,
    document_title,
    missing_elements,
)

__all__ = ["document_gaps", "documents_ready", "issue_document", "not_after_today"]
from cases.workflow.engine import Context, Effect, Guard, Violation

When = Callable[[Context], bool]
DataFn = Callable[[Context], Mapping[str, Any]]
OnFn = Callable[[Context], "datetime.date | None"]


# How the numbers of each sequence look when the agency configured no pattern (core NumberPattern).
# Every document number is unique (documents.Document.number), so the kinds cannot all share the
# default "{prefix}〔{year}〕{seq}号": the penalty decision keeps it (its numbers look as before the
# documents app), every other kind gets its customary mark. Data: LegalSetting
# `cases.document_number_patterns` ({sequence: pattern}) overrides these defaults.
DEFAULT_NUMBER_PATTERNS: dict[str, str] = {
    "case_registration": "{prefix}立审〔{year}〕{seq}号",
    "stop_order": "{prefix}责停〔{year}〕{seq}号",
    "rectification_order": "{prefix}责改〔{year}〕{seq}号",
    "penalty_notice": "{prefix}告〔{year}〕{seq}号",
    "hearing_notice": "{prefix}听通〔{year}〕{seq}号",
    "no_penalty_decision": "{prefix}不罚〔{year}〕{seq}号",
    "summary_decision": "{prefix}当罚〔{year}〕{seq}号",
    "delivery_receipt": "{prefix}送〔{year}〕{seq}号",
    "payment_reminder": "{prefix}催〔{year}〕{seq}号",
    "closing_approval": "{prefix}结〔{year}〕{seq}号",
}


def ensure_number_pattern(*, agency_id: int, sequence: str) -> None:
    """Record the default pattern of `sequence` for the agency (a system act) unless one is set."""
    from cases.selectors import legal_setting
    from core.models import NumberPattern
    from core.scoping import agency_label
    from core.services.numbering import number_pattern_set

    configured = legal_setting("cases.document_number_patterns", {}) or {}
    pattern = (configured.get(sequence) if isinstance(configured, dict) else None) or (
        DEFAULT_NUMBER_PATTERNS.get(sequence)
    )
    if not pattern or NumberPattern.objects.filter(agency_id=agency_id, kind=sequence).exists():
        return
    label = agency_label(agency_id)
    prefix = str(label.get("short_name") or label.get("name") or "")[:60]
    number_pattern_set(actor=None, agency_id=agency_id, kind=sequence, pattern=pattern, prefix=prefix)


def _always(ctx: Context) -> bool:
    return True


def _body(ctx: Context) -> Mapping[str, Any]:
    return ctx.data


def document_gaps(
    kind: str, ctx: Context, *, data: DataFn = _body, skip: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """(key, Chinese label) of the required keys of `kind` the case cannot fill yet."""
    context = case_document_context(kind, ctx.case, data=data(ctx), on=ctx.today)
    return [(n, label) for n, label in missing_elements(kind, context, preview=ctx.preview) if n not in skip]


def documents_ready(kind: str, *, when: When = _always, data: DataFn = _body) -> Guard:
    """The case holds every element the kind requires (named in Chinese with the article)."""

    def guard(ctx: Context) -> Violation | None:
        if not when(ctx):
            return None
        from documents.policies import reason_refused

        basis = KIND_BASIS.get(kind, "")
        refusal = reason_refused(ctx.actor, "issue", ctx.case.agency)
        if refusal is not None:
            return Violation("document_issue_denied", refusal, basis)
        missing = document_gaps(kind, ctx, data=data)
        if not missing:
            return None
        hints = []
        for name, _label in missing:
            hint = str(HINTS.get(name, ""))
            if hint and hint not in hints:
                hints.append(hint)
        message = _("The %(document)s cannot be issued: it lacks %(missing)s.") % {
            "document": document_title(kind),
            "missing": "、".join(label for _name, label in missing),
        }
        if hints:
            supply = _("To supply it: %(hints)s.") % {"hints": "；".join(hints)}
            message = f"{message} {supply}"
        return Violation("document_incomplete", message, basis)

    guard.__name__ = f"documents_ready_{kind}"
    return guard


def issue_document(
    kind: str,
    *,
    on: OnFn,
    when: When = _always,
    data: DataFn = _body,
    field: str | None = None,
    sequence: str | None = None,
) -> Effect:
    """Issue `kind` for the case (number from `sequence`, default the kind; dated `on(ctx)`);
    with `field`, the document's number is also the case's (e.g. decision_number)."""

    def effect(ctx: Context) -> None:
        if not when(ctx):
            return
        from documents.services import document_issue

        day = on(ctx) or ctx.today
        context = case_document_context(kind, ctx.case, data=data(ctx), on=day)
        ensure_number_pattern(agency_id=ctx.case.agency_id, sequence=sequence or kind)
        document = document_issue(
            actor=ctx.actor,
            kind=kind,
            context=context,
            subject_type=SUBJECT_TYPE,
            subject_id=ctx.case.pk,
            agency=ctx.case.agency,
            number_sequence=sequence or kind,
            on=day,
        )
        if field is not None:
            setattr(ctx.case, field, document.number)
            ctx.notes[field] = document.number
        ctx.notes.setdefault("documents", []).append(
            {"kind": kind, "number": document.number, "document_id": document.pk}
        )

    effect.__name__ = f"issue_{kind}"
    return effect


def not_after_today(key: str) -> OnFn:
    """The body's date `key`, but never after today (a document is not dated in the future)."""

    def on(ctx: Context) -> datetime.date:
        value = ctx.data.get(key)
        return min(value, ctx.today) if isinstance(value, datetime.date) else ctx.today

    return on
