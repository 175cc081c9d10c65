"""Reads for the public portal. Every function returns public data only (never an officer's phone,
identity number or login; never a publication's unmasked text)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from catalog import selectors as catalog_selectors
from org import selectors as org_selectors
from publicity.models import PUBLIC_STATUSES, Publication, PublicationStatus

# --- 事前公开 -------------------------------------------------------------------------------------


def public_agencies() -> list[dict[str, Any]]:
    """Active agencies with their duties and public contact (the agency's own address and phone)."""
    rows = []
    for agency in org_selectors.visible_agencies(None).filter(active=True).order_by("path"):
        rows.append(
            {
                "id": agency.pk,
                "name": agency.name,
                "level": agency.get_level_display(),
                "parent": agency.parent.name if agency.parent is not None else "",
                "duties": agency.duties,
                "address": agency.address,
                "phone": agency.phone,
            }
        )
    return rows


def public_staff(*, agency_id: int | None = None) -> list[dict[str, Any]]:
    """执法人员公示: name, certificate number, fields, status, agency — nothing else."""
    return org_selectors.public_officers(agency_ids=[agency_id] if agency_id else None)


def public_power_items(*, q: str = "", kind: str = "", agency_id: int | None = None) -> QuerySet[Any]:
    return catalog_selectors.power_items_current(
        None, q=q[:50], kind=kind, agency_id=agency_id
    ).prefetch_related("legal_bases")


def public_power_item(pk: int) -> Any | None:
    return public_power_items().filter(pk=pk).first()


def public_standards(*, q: str = "") -> QuerySet[Any]:
    return catalog_selectors.standards_list(None, q=q[:50]).filter(status="published")


def procedure_flowcharts() -> list[dict[str, str]]:
    """The procedures drawn from their declarations, so a changed procedure changes the chart."""
    from cases.workflow.flowchart import render_svg
    from cases.workflow.penalty import PENALTY
    from cases.workflow.summary import SUMMARY

    return [
        {"code": "penalty", "svg": render_svg(PENALTY)},
        {"code": "summary", "svg": render_svg(SUMMARY)},
    ]


# --- 事中公示 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateCheck:
    number: str
    name: str
    fields: tuple[str, ...]
    agency: str
    status: str  # valid | expired | suspended | revoked | not_yet_valid
    issued_on: datetime.date
    expires_on: datetime.date


def normalise_certificate_number(number: str) -> str:
    return re.sub(r"\s+", "", number or "").upper()[:50]


def certificate_check(number: str, *, on: datetime.date | None = None) -> CertificateCheck | None:
    """The public facts of one certificate by its exact number, or None if there is none."""
    number = normalise_certificate_number(number)
    if not number:
        return None
    cert = org_selectors.visible_certificates(None).filter(number__iexact=number).first()
    if cert is None:
        return None
    day = on or timezone.localdate()
    if cert.status != "valid":
        status = cert.status
    elif day < cert.issued_on:
        status = "not_yet_valid"
    elif day > cert.expires_on:
        status = "expired"
    else:
        status = "valid"
    return CertificateCheck(
        number=cert.number,
        name=cert.officer.name,
        fields=tuple(f.name for f in cert.fields.all()),
        agency=cert.officer.agency.name,
        status=status,
        issued_on=cert.issued_on,
        expires_on=cert.expires_on,
    )


# --- 事后公开 -------------------------------------------------------------------------------------

PUBLIC_FIELDS = (
    "public_id",
    "agency_id",
    "title",
    "document_number",
    "party_label",
    "decided_on",
    "published_at",
    "status",
    "withdrawn_at",
    "withdrawal_reason",
)


def published_decisions(
    *, q: str = "", date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> QuerySet[Publication]:
    """Published (and withdrawn, shown as such) decisions; never the unmasked text.

    `q` matches the document number, the masked party name or the title.
    """
    qs = Publication.objects.filter(status__in=PUBLIC_STATUSES).only(*PUBLIC_FIELDS)
    q = (q or "").strip()[:50]
    if q:
        qs = qs.filter(Q(document_number__icontains=q) | Q(party_label__icontains=q) | Q(title__icontains=q))
    if date_from:
        qs = qs.filter(published_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(published_at__date__lte=date_to)
    return qs.order_by("-published_at", "-pk")


def published_decision(public_id: Any) -> Publication | None:
    """One public decision; the masked text is loaded only while it is published."""
    pub = (
        Publication.objects.filter(public_id=public_id, status__in=PUBLIC_STATUSES)
        .only(*PUBLIC_FIELDS)
        .first()
    )
    if pub is not None and pub.status == PublicationStatus.PUBLISHED:
        pub.public_text = Publication.objects.values_list("masked_text", flat=True).get(pk=pub.pk)  # type: ignore[attr-defined]
    return pub


def agency_names(ids: set[int]) -> dict[int, str]:
    return dict(org_selectors.visible_agencies(None).filter(pk__in=ids).values_list("pk", "name"))


# --- officers' side -------------------------------------------------------------------------------


def publications_for(actor: Any) -> QuerySet[Publication]:
    ids = org_selectors.read_agency_ids(actor)
    qs = Publication.objects.defer("original_text")
    return qs if ids is None else qs.filter(agency_id__in=ids)
