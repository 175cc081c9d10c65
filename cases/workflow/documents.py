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
    delivery_channels,
    document_title,
    missing_elements,
)
from cases.memo import memoised

__all__ = [
    "ELECTRONIC_CONSENT_READY",
    "document_gaps",
    "documents_ready",
    "issue_delivery_receipt",
    "issue_document",
    "issue_electronic_consent",
    "issue_for_case",
    "not_after_today",
    "receipt_ready",
]
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
    "hearing_right_notice": "{prefix}听告〔{year}〕{seq}号",
    "investigation_report": "{prefix}调查〔{year}〕{seq}号",
    "legal_review_opinion": "{prefix}法审〔{year}〕{seq}号",
    "collective_discussion": "{prefix}集讨〔{year}〕{seq}号",
    "risk_assessment": "{prefix}风评〔{year}〕{seq}号",
    "enforcement_application": "{prefix}强执〔{year}〕{seq}号",
    "electronic_delivery_confirmation": "{prefix}电送〔{year}〕{seq}号",
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
        refusal = memoised(
            ("document_issue_refused", getattr(ctx.actor, "pk", None), ctx.case.agency_id),
            lambda: reason_refused(ctx.actor, "issue", ctx.case.agency),
        )
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
        document = issue_for_case(ctx, kind, data=data(ctx), on=on(ctx) or ctx.today, sequence=sequence)
        if field is not None:
            setattr(ctx.case, field, document.number)
            ctx.notes[field] = document.number

    effect.__name__ = f"issue_{kind}"
    return effect


def issue_for_case(
    ctx: Context,
    kind: str,
    *,
    data: Mapping[str, Any],
    on: datetime.date,
    sequence: str | None = None,
    key: str | None = None,
) -> Any:
    """Issue `kind` for the case inside the act's transaction, under the act's idempotency key
    (`ctx.key` and the kind, unless `key` is given), and note it for the event payload."""
    from documents.services import document_issue

    context = case_document_context(kind, ctx.case, data=data, on=on)
    ensure_number_pattern(agency_id=ctx.case.agency_id, sequence=sequence or kind)
    if key is None:
        key = f"{ctx.key}:{kind}" if ctx.key else ""
    document = document_issue(
        actor=ctx.actor,
        kind=kind,
        context=context,
        subject_type=SUBJECT_TYPE,
        subject_id=ctx.case.pk,
        agency=ctx.case.agency,
        number_sequence=sequence or kind,
        on=on,
        key=key,
    )
    ctx.notes.setdefault("documents", []).append(
        {"kind": kind, "number": document.number, "document_id": document.pk}
    )
    return document


# ---------------------------------------------------------------- 送达回证 for every delivered document

# Delivery.document → the kinds that may be the document delivered (issued earlier in the same act,
# except the decision, whose number is the case's decision_number).
DELIVERED_KINDS: dict[str, tuple[str, ...]] = {
    "notice": ("penalty_notice",),
    "decision": ("penalty_decision",),
    "reminder": ("payment_reminder",),
    "correction_order": ("stop_order", "rectification_order"),
}


def _delivered(ctx: Context, delivered: str) -> tuple[str, str]:
    """(official title, number) of the document the act delivered."""
    kinds = DELIVERED_KINDS[delivered]
    issued = [d for d in ctx.notes.get("documents", []) if d["kind"] in kinds]
    if issued:
        return document_title(issued[-1]["kind"]), str(issued[-1]["number"])
    if delivered == "decision":
        return document_title("penalty_decision"), str(ctx.case.decision_number or "")
    return document_title(kinds[0]), ""


def receipt_ready(delivered: str) -> Guard:
    """The 送达回证 of the document this act delivers can be issued (recipient, address, officers);
    the delivered document's number is taken in the same act, so it is not asked for here."""

    def data(ctx: Context) -> Mapping[str, Any]:
        title, number = _delivered(ctx, delivered)
        return {**ctx.data, "_delivered_title": title, "_delivered_number": number or "—"}

    guard = documents_ready("delivery_receipt", data=data)
    guard.__name__ = f"receipt_ready_{delivered}"
    return guard


def issue_delivery_receipt(delivered: str) -> Effect:
    """Issue the 送达回证 of the delivery this act recorded (`ctx.notes["delivery_id"]`) and link it
    to the Delivery row (行政处罚法 Art.61; 民事诉讼法 Art.87)."""

    def effect(ctx: Context) -> None:
        from cases.services.execution import delivery_receipt_attach

        delivery_id = ctx.notes.get("delivery_id")
        if not delivery_id:
            return
        title, number = _delivered(ctx, delivered)
        data = {**ctx.data, "_delivered_title": title, "_delivered_number": number}
        if delivered == "decision":
            data["_enclosures"] = decision_enclosures_for(ctx)
        on = ctx.data.get("delivered_on")
        day = min(on, ctx.today) if isinstance(on, datetime.date) else ctx.today
        document = issue_for_case(
            ctx, "delivery_receipt", data=data, on=day, key=f"{ctx.key}:delivery_receipt:{delivery_id}"
        )
        delivery_receipt_attach(delivery_id=delivery_id, document=document)

    effect.__name__ = f"issue_delivery_receipt_{delivered}"
    return effect


def decision_enclosures_for(ctx: Context) -> list[str]:
    """What other apps hand to the party with the decision (`cases.signals.decision_enclosures`)."""
    from cases.models import Case
    from cases.signals import decision_enclosures

    replies = decision_enclosures.send(sender=Case, case=ctx.case, actor=ctx.actor)
    return [str(line) for _receiver, line in replies if line]


# ---------------------------------------------------------------- 电子送达确认书


def electronic(ctx: Context) -> bool:
    return ctx.data.get("method") == "electronic"


def issue_electronic_consent(ctx: Context) -> None:
    """电子送达 needs the party's signed consent (行政处罚法 Art.61 第二款): the 确认书 naming the
    addresses is issued with the first electronic delivery to them; later deliveries to the same
    addresses find it by its key (one per case and addresses), so it is issued once."""
    import hashlib

    if not electronic(ctx):
        return
    channels = "|".join(sorted(delivery_channels(ctx.case, ctx.data)))
    digest = hashlib.sha256(channels.encode("utf-8")).hexdigest()[:16]
    on = ctx.data.get("delivered_on")
    day = min(on, ctx.today) if isinstance(on, datetime.date) else ctx.today
    issue_for_case(
        ctx,
        "electronic_delivery_confirmation",
        data=ctx.data,
        on=day,
        key=f"case-{ctx.case.pk}-electronic-consent-{digest}",
    )


ELECTRONIC_CONSENT_READY = documents_ready("electronic_delivery_confirmation", when=electronic)


def not_after_today(key: str) -> OnFn:
    """The body's date `key`, but never after today (a document is not dated in the future)."""

    def on(ctx: Context) -> datetime.date:
        value = ctx.data.get(key)
        return min(value, ctx.today) if isinstance(value, datetime.date) else ctx.today

    return on
