"""Reads on the legal registers, scoped to the actor. Accountability findings are read only through
`accountability_for`, which checks the policy (the refusal is in the ledger)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from core.models import Deadline
from legal import policies
from legal.models import (
    Accountability,
    Adviser,
    DocumentStatus,
    JointAction,
    NormativeDocument,
    OpinionRequest,
    Referral,
)
from org import selectors as org_selectors
from org.selectors import read_agency_ids

OPEN_DEADLINE = ("open", "due_soon", "overdue", "paused")


def _scoped(qs: QuerySet[Any], actor: Any) -> QuerySet[Any]:
    ids = read_agency_ids(actor)
    return qs if ids is None else qs.filter(agency_id__in=ids)


def open_deadlines(*, subject: Model, kind: str) -> QuerySet[Deadline]:
    return Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(type(subject)),
        subject_id=str(subject.pk),
        kind=kind,
        status__in=OPEN_DEADLINE,
    ).order_by("due_date", "pk")


def deadlines_of(subject: Model) -> QuerySet[Deadline]:
    return Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(type(subject)), subject_id=str(subject.pk)
    ).order_by("due_date", "pk")


def advisers_for(actor: Any) -> QuerySet[Adviser]:
    return _scoped(Adviser.objects.all(), actor)


def opinions_for(actor: Any, *, status: str = "") -> QuerySet[OpinionRequest]:
    qs = _scoped(OpinionRequest.objects.select_related("adviser", "document"), actor)
    return qs.filter(status=status) if status else qs


def opinions_for_case(*, case_id: int, actor: Any) -> QuerySet[OpinionRequest]:
    """The legal advisers' opinions on a case (linked from the case and the legal review)."""
    return opinions_for(actor).filter(case_id=case_id)


def documents_for(actor: Any, *, status: str = "", q: str = "") -> QuerySet[NormativeDocument]:
    qs = _scoped(NormativeDocument.objects.all(), actor)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(doc_number__icontains=q))
    return qs


def referrals_for(actor: Any, *, status: str = "") -> QuerySet[Referral]:
    """Referrals the actor's agencies sent or received."""
    ids = read_agency_ids(actor)
    qs = Referral.objects.select_related("to_agency")
    if ids is not None:
        qs = qs.filter(Q(agency_id__in=ids) | Q(to_agency_id__in=ids))
    return qs.filter(status=status) if status else qs


def joint_actions_for(actor: Any) -> QuerySet[JointAction]:
    return _scoped(JointAction.objects.all(), actor)


def accountability_for(actor: Any, *, agency: Any, kind: str = "") -> QuerySet[Accountability]:
    """The agency's accountability findings; PermissionDenied (in the ledger) for anyone but the legal
    department and the heads of the agency."""
    policies.ensure(actor, "accountability", agency)
    qs = Accountability.objects.filter(agency_id=agency.pk).prefetch_related("persons")
    return qs.filter(kind=kind) if kind else qs


def filing_rate(*, agency_id: int) -> dict[str, int]:
    """Decided normative documents and how many were filed (seed 003: 100%)."""
    decided = NormativeDocument.objects.filter(agency_id=agency_id, decided_on__isnull=False)
    return {"decided": decided.count(), "filed": decided.exclude(filing_receipt="").count()}


def agency_of(actor: Any) -> Any:
    """The agency the actor keeps registers for; PermissionDenied for a login that is no officer."""
    from django.utils.translation import gettext as _

    from core.errors import PermissionDenied
    from org.selectors import officer_for

    officer = officer_for(actor)
    if officer is None:
        raise PermissionDenied(
            _("Only officers registered in an agency use the legal registers."), code="not_an_officer"
        )
    return officer.agency


def document_or_404(*, document_id: int, actor: Any) -> NormativeDocument:
    from django.utils.translation import gettext as _

    from core.errors import NotFound

    doc = documents_for(actor).filter(pk=document_id).first()
    if doc is None:
        raise NotFound(_("No such normative document."), code="document_not_found")
    return doc


def referral_or_404(*, referral_id: int, actor: Any) -> Referral:
    from django.utils.translation import gettext as _

    from core.errors import NotFound

    referral = referrals_for(actor).filter(pk=referral_id).first()
    if referral is None:
        raise NotFound(_("No such referral."), code="referral_not_found")
    return referral


def documents_in_force_for_powers(
    *, agency_id: int, codes: Iterable[str]
) -> dict[str, list[NormativeDocument]]:
    """The normative documents in force (published, not repealed) that are an enforcement basis for
    the power-list items `codes` of the agency: its own documents and those of the agencies above it
    (a city's document applies to its counties). Public: the catalog and the portal show them beside
    the legal bases (issue 9 §10). Code → documents, newest first."""
    wanted = {str(c) for c in codes}
    path = org_selectors.visible_agencies(None).filter(pk=agency_id).values_list("path", flat=True).first()
    agency_ids = [int(p) for p in str(path or "").strip("/").split("/") if p.isdigit()] or [agency_id]
    found: dict[str, list[NormativeDocument]] = {}
    for doc in NormativeDocument.objects.filter(
        agency_id__in=agency_ids, status=DocumentStatus.PUBLISHED, repealed_on__isnull=True
    ).order_by("-published_on", "-pk"):
        for code in sorted(wanted.intersection(doc.power_codes or [])):
            found.setdefault(code, []).append(doc)
    return found
