"""事后公开 services: a decision's publication from draft to withdrawal.

The public API for the case workflow (another engineer connects it; LEGAL.md §2: penalty and
licence decisions within 7 working days, other decisions within 20, computed by the caller with
`core.services.calendar.add_workdays`)::

    pub = publication_draft(actor=..., case_id=case.pk, agency_id=case.agency_id,
                            title="…行政处罚决定书", text=decision_text,
                            party_data={"persons": [...], "organisations": [...], "id_numbers": [...],
                                        "addresses": [...], "phones": [...], "bank_accounts": [...]},
                            due_on=due, document_number="…罚〔2024〕12号", decided_on=date)
        # → status "masked": masked_text and findings recorded (two ledger acts)
    publication_approve(actor=reviewer, publication=pub, masked_text=edited_or_None)
        # legal reviewer or head of the agency, never the drafter; refused while the text still
        # holds an identity number, phone, bank account or the party's own data
    publication_publish(actor=..., publication=pub)
    publication_withdraw(actor=... or None, publication=pub, reason="复议决定撤销原处罚决定")
        # within 3 working days of the revocation (行政处罚法 Art.48); the public page then shows
        # the withdrawal notice without the text
    publication_withdraw_for_case(actor=..., case_id=case.pk, reason=..., revoked_on=date)
        # what the case workflow calls when a decision is revoked, changed or found unlawful: every
        # publication of the case is withdrawn, published or not (an unpublished draft never reaches
        # the portal), against a deadline of 3 working days from the revocation (setting
        # publicity.withdraw_workdays) that is met by the withdrawal and flagged when late; with
        # withdraw_now=False only the deadline starts and a reviewer withdraws on the review screen

Statuses: draft → masked → approved → published → withdrawn (`publicity.states.TRANSITIONS`); every
move goes through `_move` and is a ledger act ``publication.<verb>`` with old and new status.
The unmasked text (`original_text`) and `party_data` are never rendered by a public view.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.services.clock import deadline_satisfy, deadline_start
from core.services.ledger import ledger_append
from publicity import masking, policies, search, selectors
from publicity.models import Publication
from publicity.models import PublicationStatus as S
from publicity.signals import publication_moved
from publicity.states import RULES, TRANSITIONS

VERB_OF: dict[str, str] = {
    S.MASKED: "mask",
    S.APPROVED: "approve",
    S.PUBLISHED: "publish",
    S.WITHDRAWN: "withdraw",
    S.EXPIRED: "expire",
}


def _move(publication: Publication, *, to: str, actor: Any, payload: dict[str, Any] | None = None) -> None:
    """The only code that assigns a publication's status; refuses moves outside TRANSITIONS."""
    old = publication.status
    if to not in TRANSITIONS[old]:
        rule, basis = RULES[to]
        raise DomainError(
            _("%(rule)s The publication is “%(status)s”.") % {"rule": rule, "status": S(old).label},
            code="publication_transition",
            basis=basis,
        )
    publication.status = to
    publication.save()
    ledger_append(
        actor=actor,
        act=f"publication.{VERB_OF[to]}",
        obj=publication,
        agency_id=publication.agency_id,
        payload={
            "case_id": publication.case_id,
            "old": {"status": old},
            "new": {"status": to},
            **(payload or {}),
        },
    )
    publication_moved.send(sender=Publication, publication=publication, status=to, actor=actor)


def _locked(publication: Publication) -> Publication:
    return Publication.objects.select_for_update().get(pk=publication.pk)


def _party_label(party: masking.PartyData) -> str:
    if party.organisations:
        return party.organisations[0]
    if party.persons:
        return masking.pseudonym(party.persons[0])
    return ""


def publication_draft(
    *,
    actor: Any,
    case_id: int,
    agency_id: int,
    title: str,
    text: str,
    party_data: dict[str, Any],
    due_on: datetime.date,
    document_number: str = "",
    decided_on: datetime.date | None = None,
    category: str = "",
) -> Publication:
    """Draft a decision's publication and mask it at once (LEGAL.md §8): status "masked".

    `category` is the violation type (e.g. 非法占用土地) the public search filters by.
    """
    policies.ensure(actor, "draft", agency_id)  # outside the transaction: a denial is kept
    if not text.strip():
        raise DomainError(_("The decision text is empty: nothing to publish."), code="publication_empty")
    with transaction.atomic():
        return _draft(
            actor=actor,
            case_id=case_id,
            agency_id=agency_id,
            title=title,
            text=text,
            party_data=party_data,
            due_on=due_on,
            document_number=document_number,
            decided_on=decided_on,
            category=category,
        )


def _draft(
    *,
    actor: Any,
    case_id: int,
    agency_id: int,
    title: str,
    text: str,
    party_data: dict[str, Any],
    due_on: datetime.date,
    document_number: str,
    decided_on: datetime.date | None,
    category: str = "",
) -> Publication:
    party = masking.PartyData.from_dict(party_data)
    publication = Publication.objects.create(
        case_id=case_id,
        agency_id=agency_id,
        title=title,
        document_number=document_number,
        party_label=_party_label(party),
        decided_on=decided_on,
        category=(category or "").strip()[:100],
        due_on=due_on,
        original_text=text,
        party_data=party.to_dict(),
        drafted_by=actor if getattr(actor, "pk", None) else None,
    )
    ledger_append(
        actor=actor,
        act="publication.draft",
        obj=publication,
        agency_id=agency_id,
        payload={
            "case_id": case_id,
            "title": title,
            "due_on": due_on.isoformat(),
            "new": {"status": S.DRAFT},
        },
    )
    result = masking.mask(text, party)
    publication.masked_text = result.text
    publication.findings = [f.to_dict() for f in result.findings]
    # Findings hold the originals: the ledger gets kinds and counts only.
    counts: dict[str, int] = {}
    for f in result.findings:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    _move(publication, to=S.MASKED, actor=actor, payload={"findings": counts})
    return publication


def publication_approve(
    *, actor: Any, publication: Publication, masked_text: str | None = None
) -> Publication:
    """A legal reviewer or head, never the drafter, approves the (possibly edited) masked text."""
    policies.ensure(actor, "approve", publication.agency_id, obj=publication)
    with transaction.atomic():
        return _approve(actor=actor, publication=_locked(publication), masked_text=masked_text)


def _approve(*, actor: Any, publication: Publication, masked_text: str | None) -> Publication:
    if actor is not None and publication.drafted_by_id is not None and publication.drafted_by_id == actor.pk:
        raise DomainError(
            _(
                "The officer who drafted a publication may not approve it: "
                "a second person reviews the masking."
            ),
            code="publication_same_reviewer",
            basis="LEGAL.md §8",
        )
    text = publication.masked_text if masked_text is None else masked_text
    edited = masked_text is not None and masked_text != publication.masked_text
    residual = masking.residual_findings(text, masking.PartyData.from_dict(publication.party_data))
    if residual:
        kinds = "、".join(sorted({masking.KIND_LABELS.get(f.kind, f.kind) for f in residual}))
        raise DomainError(
            _("The text still contains personal data (%(kinds)s): mask it before approval.")
            % {"kinds": kinds},
            code="publication_personal_data",
            basis="行政处罚法第五十条",
            field_errors={"masked_text": [kinds]},
        )
    publication.masked_text = text
    publication.approved_by = actor if getattr(actor, "pk", None) else None
    publication.approved_at = timezone.now()
    _move(publication, to=S.APPROVED, actor=actor, payload={"edited": edited})
    return publication


def publication_publish(*, actor: Any, publication: Publication) -> Publication:
    """Publish an approved decision (行政处罚法 Art.48; within 7/20 working days, LEGAL.md §2)."""
    policies.ensure(actor, "publish", publication.agency_id, obj=publication)
    with transaction.atomic():
        return _publish(actor=actor, publication=_locked(publication))


def _publish(*, actor: Any, publication: Publication) -> Publication:
    publication.published_at = timezone.now()
    late = timezone.localdate() > publication.due_on
    _move(publication, to=S.PUBLISHED, actor=actor, payload={"late": late})
    search.index_publication(publication)
    return publication


def publication_withdraw(*, actor: Any, publication: Publication, reason: str) -> Publication:
    """Withdraw a published decision with a public reason (revoked, changed, unlawful: Art.48)."""
    policies.ensure(actor, "withdraw", publication.agency_id, obj=publication)
    with transaction.atomic():
        return _withdraw(actor=actor, publication=_locked(publication), reason=reason)


def _withdraw(*, actor: Any, publication: Publication, reason: str) -> Publication:
    if not reason.strip():
        raise DomainError(
            _("A withdrawal states its reason (e.g. the decision was revoked on reconsideration)."),
            code="publication_withdraw_reason",
            field_errors={"reason": [_("This field is required.")]},
        )
    residual = masking.residual_findings(reason, masking.PartyData.from_dict(publication.party_data))
    if residual:
        raise DomainError(
            _("The reason for withdrawal is public: it may not contain personal data."),
            code="publication_personal_data",
            basis="行政处罚法第五十条",
        )
    was_public = publication.status == S.PUBLISHED
    publication.withdrawn_at = timezone.now()
    publication.withdrawal_reason = reason.strip()
    _move(
        publication,
        to=S.WITHDRAWN,
        actor=actor,
        payload={"reason": publication.withdrawal_reason, "was_published": was_public},
    )
    search.unindex_publication(publication)
    for deadline in selectors.publication_deadlines(publication, kind=WITHDRAWAL_DEADLINE, open_only=True):
        deadline_satisfy(actor=actor, deadline=deadline, by_act="publication.withdraw")
    return publication


WITHDRAWAL_DEADLINE = "publicity.withdrawal"
WITHDRAWAL_BASIS = "行政处罚法第四十八条第二款"


def publication_withdraw_for_case(
    *,
    actor: Any,
    case_id: int,
    reason: str,
    revoked_on: datetime.date,
    withdraw_now: bool = True,
) -> list[Publication]:
    """A decision was revoked, changed or found unlawful: withdraw every publication of the case.

    行政处罚法 Art.48(2): a published decision that is revoked, changed or found unlawful is withdrawn
    within 3 working days (the setting ``publicity.withdraw_workdays``). A deadline starts on each
    publication from `revoked_on`; the withdrawal meets it (late when after its due date, recorded in
    the deadline). A publication not yet published (draft, masked, approved) is withdrawn as well so
    that it can never be published afterwards. With ``withdraw_now=False`` only the deadlines start:
    a reviewer withdraws on the review screen, and the clock flags the deadline when overdue.
    Idempotent: publications already withdrawn are left as they are.
    """
    from publicity.selectors import legal_setting_int

    if not reason.strip():
        raise DomainError(
            _("A withdrawal states its reason (e.g. the decision was revoked on reconsideration)."),
            code="publication_withdraw_reason",
            field_errors={"reason": [_("This field is required.")]},
        )
    pubs = list(Publication.objects.filter(case_id=case_id).exclude(status=S.WITHDRAWN).order_by("pk"))
    for pub in pubs:
        policies.ensure(actor, "withdraw", pub.agency_id, obj=pub)
    workdays = legal_setting_int("publicity.withdraw_workdays", 3)
    done: list[Publication] = []
    with transaction.atomic():
        for pub in pubs:
            locked = _locked(pub)
            if locked.status == S.WITHDRAWN:
                continue
            if not selectors.publication_deadlines(locked, kind=WITHDRAWAL_DEADLINE).exists():
                deadline_start(
                    actor=actor,
                    subject=locked,
                    agency_id=locked.agency_id,
                    kind=WITHDRAWAL_DEADLINE,
                    title="撤回公开期限",
                    legal_basis=WITHDRAWAL_BASIS,
                    unit="workdays",
                    amount=workdays,
                    start_date=revoked_on,
                )
            if withdraw_now or locked.status != S.PUBLISHED:
                locked = _withdraw(actor=actor, publication=locked, reason=reason)
            done.append(locked)
    return done


def publications_expire(*, today: datetime.date | None = None) -> int:
    """The display period ended (setting ``publicity.display_years``, 3 by default; LEGAL.md §8: at
    least 3 months, at most 3 years): the decision leaves the portal, the search and the open data.
    A system act per publication; idempotent (a second run finds nothing)."""
    from core.services.calendar import months_later
    from publicity.selectors import legal_setting_int

    today = today or timezone.localdate()
    years = legal_setting_int("publicity.display_years", 3)
    n = 0
    coarse = today - datetime.timedelta(days=365 * years - 2)  # every candidate, then the exact end below
    candidates = Publication.objects.filter(status=S.PUBLISHED, published_at__date__lte=coarse).order_by("pk")
    for pub in candidates.only("pk", "published_at"):
        with transaction.atomic():
            locked = _locked(pub)
            assert locked.published_at is not None
            ends = months_later(timezone.localdate(locked.published_at), 12 * years)
            if locked.status != S.PUBLISHED or today <= ends:
                continue
            _move(locked, to=S.EXPIRED, actor=None, payload={"display_ended": ends.isoformat()})
            search.unindex_publication(locked)
            n += 1
    return n
