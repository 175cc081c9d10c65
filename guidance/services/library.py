"""The library of typical cases and guidance methods (典型案例, 《行政指导案例选编》 of seed 004 二(二)):
drafted from a closed case (its facts masked with publicity.masking) or written by hand, reviewed
by a head or legal reviewer other than the author, published on the portal, withdrawn with a reason."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import selectors as case_selectors
from cases.services.publication import decision_text, party_data
from core.errors import Conflict, DomainError, ValidationFailed
from core.services.ledger import ledger_append
from guidance import policies
from guidance.models import CaseCategory, Field, Method, TypicalCase, TypicalStatus
from guidance.services._common import clean, move
from org import selectors as org_selectors
from publicity import masking

T = TypicalStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    T.DRAFT: frozenset({T.SUBMITTED}),
    T.SUBMITTED: frozenset({T.DRAFT, T.PUBLISHED}),
    T.PUBLISHED: frozenset({T.WITHDRAWN}),
    T.WITHDRAWN: frozenset(),
}
CLOSED_CASE_STATUSES = ("closed", "archived")
FIELD_OF_CASE = {"land": Field.LAND, "mineral": Field.MINERAL, "planning": Field.PLANNING}


def _move(case: TypicalCase, *, to: str, actor: Any, act: str, payload: dict[str, Any] | None = None) -> None:
    move(
        case,
        table=TRANSITIONS,
        labels=T,
        to=to,
        actor=actor,
        act=act,
        code="typical_case_transition_refused",
        payload=payload,
    )


def _validate(data: dict[str, Any]) -> dict[str, Any]:
    out = {
        "category": data.get("category") or CaseCategory.TYPICAL_CASE,
        "field": data.get("field") or "",
        "method": data.get("method") or "",
        "title": clean(data.get("title"), 200),
        "summary": clean(data.get("summary"), 500),
        "body": clean(data.get("body"), 50000),
        "lessons": clean(data.get("lessons"), 20000),
    }
    errors: dict[str, list[str]] = {}
    if out["category"] not in CaseCategory.values:
        errors["category"] = [_("Choose a typical case or a guidance method.")]
    if out["field"] not in Field.values:
        errors["field"] = [_("Choose the field of enforcement.")]
    if out["method"] and out["method"] not in Method.values:
        errors["method"] = [_("Choose a method of guidance or none.")]
    for key, message in (
        ("title", _("Give a title.")),
        ("summary", _("Summarise the case in a sentence or two.")),
        ("body", _("Write the case: facts, how it was handled, the outcome.")),
    ):
        if not out[key]:
            errors[key] = [message]
    if errors:
        raise ValidationFailed(
            _("The typical case was not saved: correct the fields marked."), field_errors=errors, status=422
        )
    return out


def _agency(actor: Any) -> Any:
    officer = org_selectors.officer_for(actor)
    return officer.agency if officer is not None else None


def typical_case_create(*, actor: Any, data: dict[str, Any]) -> TypicalCase:
    """A typical case or guidance method written by hand (a draft)."""
    agency = _agency(actor)
    policies.ensure(actor, "draft", TypicalCase(agency=agency) if agency else None)
    values = _validate(data)
    residual = masking.residual_findings(values["body"] + "\n" + values["lessons"])
    with transaction.atomic():
        case = TypicalCase.objects.create(agency=agency, author=actor, **values)
        ledger_append(
            actor=actor,
            act="guidance.case_draft",
            obj=case,
            agency_id=case.agency_id,
            payload={"title": case.title, "source_case": None, "personal_data_flagged": len(residual)},
        )
    return case


def typical_case_from_case(*, actor: Any, case_id: int) -> TypicalCase:
    """Draft from a closed case: its decision's facts, masked (names, numbers, addresses)."""
    agency = _agency(actor)
    policies.ensure(actor, "draft", TypicalCase(agency=agency) if agency else None)
    source = case_selectors.case_get(case_id=case_id, actor=actor)
    if source.status not in CLOSED_CASE_STATUSES:
        raise DomainError(
            _("Only a closed case becomes a typical case (this case is still open); close it first."),
            code="typical_case_source_open",
            status=409,
        )
    kind = "penalty_decision" if source.proposed_outcome == "penalty" else "no_penalty_decision"
    try:
        text = decision_text(source, kind)  # the decision as served
    except (DomainError, KeyError, TypeError, ValueError):
        text = f"案由：{source.title}\n{source.lead.description if source.lead_id else ''}"
    result = masking.mask(text, party_data(source))
    values = _validate(
        {
            "category": CaseCategory.TYPICAL_CASE,
            "field": FIELD_OF_CASE.get(source.field_code, Field.OTHER),
            "title": masking.mask(source.title or f"案件 {source.case_number}", party_data(source)).text,
            "summary": result.text.splitlines()[0][:500] if result.text else "",
            "body": result.text,
        }
    )
    with transaction.atomic():
        case = TypicalCase.objects.create(
            agency=source.agency,
            author=actor,
            source_case_id=source.pk,
            masked_items=len(result.findings),
            **values,
        )
        ledger_append(
            actor=actor,
            act="guidance.case_draft",
            obj=case,
            agency_id=case.agency_id,
            payload={"title": case.title, "source_case": source.pk, "masked": len(result.findings)},
        )
    return case


def typical_case_update(
    *, actor: Any, typical_case: TypicalCase, data: dict[str, Any], version: int
) -> TypicalCase:
    """Edit a draft (optimistic: the version seen must still be the current one)."""
    policies.ensure(actor, "edit", typical_case)
    values = _validate(data)
    with transaction.atomic():
        locked = TypicalCase.objects.select_for_update().get(pk=typical_case.pk)
        if locked.status != T.DRAFT:
            raise Conflict(
                _("Only a draft is edited; this one is %(status)s.") % {"status": T(locked.status).label},
                code="typical_case_not_draft",
            )
        if locked.version != version:
            raise Conflict(
                _("Someone else saved this draft meanwhile; reload it and apply your changes again."),
                code="typical_case_stale",
            )
        old = {k: getattr(locked, k) for k in values}
        for key, value in values.items():
            setattr(locked, key, value)
        locked.version += 1
        locked.save()
        ledger_append(
            actor=actor,
            act="guidance.case_edit",
            obj=locked,
            agency_id=locked.agency_id,
            payload={
                "old": {k: v for k, v in old.items() if v != values[k]},
                "new": {k: v for k, v in values.items() if v != old[k]},
            },
        )
    return locked


def typical_case_submit(*, actor: Any, typical_case: TypicalCase) -> TypicalCase:
    policies.ensure(actor, "submit", typical_case)
    with transaction.atomic():
        locked = TypicalCase.objects.select_for_update().get(pk=typical_case.pk)
        _move(locked, to=T.SUBMITTED, actor=actor, act="guidance.case_submit")
    return locked


def typical_case_review(
    *, actor: Any, typical_case: TypicalCase, publish: bool, note: str = ""
) -> TypicalCase:
    """Publish, or return to the author with a note. Publication is refused while the text still
    holds personal data (identity numbers, phones, accounts: publicity.masking)."""
    policies.ensure(actor, "review", typical_case)
    note = clean(note, 2000)
    with transaction.atomic():
        locked = TypicalCase.objects.select_for_update().get(pk=typical_case.pk)
        locked.reviewer, locked.review_note = actor, note
        if not publish:
            if not note:
                raise ValidationFailed(
                    _("Tell the author what to change."),
                    field_errors={"note": [_("Write a note for the author.")]},
                    status=422,
                )
            _move(locked, to=T.DRAFT, actor=actor, act="guidance.case_return", payload={"note": note})
            return locked
        residual = masking.residual_findings(
            f"{locked.title}\n{locked.summary}\n{locked.body}\n{locked.lessons}"
        )
        if residual:
            raise DomainError(
                _(
                    "Personal data is still in the text (%(kinds)s): a typical case is published only "
                    "without it (行政处罚法 Art.50; LEGAL.md §8). Return it to the author to mask it."
                )
                % {"kinds": "、".join(sorted({masking.KIND_LABELS[f.kind] for f in residual}))},
                code="typical_case_personal_data",
                status=409,
            )
        locked.published_on = timezone.localdate()
        _move(locked, to=T.PUBLISHED, actor=actor, act="guidance.case_publish", payload={"note": note})
    return locked


def typical_case_withdraw(*, actor: Any, typical_case: TypicalCase, reason: str) -> TypicalCase:
    policies.ensure(actor, "withdraw", typical_case)
    reason = clean(reason, 2000)
    if not reason:
        raise ValidationFailed(
            _("Give the reason for the withdrawal."),
            field_errors={"reason": [_("Give the reason.")]},
            status=422,
        )
    with transaction.atomic():
        locked = TypicalCase.objects.select_for_update().get(pk=typical_case.pk)
        _move(locked, to=T.WITHDRAWN, actor=actor, act="guidance.case_withdraw", payload={"reason": reason})
    return locked
