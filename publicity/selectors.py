"""Reads for the public portal. Every function returns public data only (never an officer's phone,
identity number or login; never a publication's unmasked text)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from catalog import selectors as catalog_selectors
from core.models import Deadline, LegalSetting
from core.prepared import PreparedRead
from org import selectors as org_selectors
from publicity.models import Publication, PublicationStatus

# What the public may see: published decisions, and withdrawn ones that had been published (shown
# as a withdrawal notice without the text). A draft withdrawn before publication was never public.
PUBLIC_FILTER = Q(status=PublicationStatus.PUBLISHED) | Q(
    status=PublicationStatus.WITHDRAWN, published_at__isnull=False
)
OPEN_DEADLINE = (
    Deadline.Status.OPEN,
    Deadline.Status.DUE_SOON,
    Deadline.Status.OVERDUE,
    Deadline.Status.PAUSED,
)


def legal_setting_int(key: str, default: int) -> int:
    value = LegalSetting.objects.filter(key=key).values_list("value", flat=True).first()
    try:
        number = int(value) if value is not None else default
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def publication_deadlines(
    publication: Publication, *, kind: str, open_only: bool = False
) -> QuerySet[Deadline]:
    qs = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Publication), subject_id=str(publication.pk), kind=kind
    )
    if open_only:
        qs = qs.filter(status__in=OPEN_DEADLINE)
    return qs.order_by("due_date", "pk")


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
    "category",
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
    qs = Publication.objects.filter(PUBLIC_FILTER).only(*PUBLIC_FIELDS)
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
    pub = Publication.objects.filter(PUBLIC_FILTER, public_id=public_id).only(*PUBLIC_FIELDS).first()
    if pub is not None and pub.status == PublicationStatus.PUBLISHED:
        pub.public_text = Publication.objects.values_list("masked_text", flat=True).get(pk=pub.pk)  # type: ignore[attr-defined]
    return pub


def agency_names(ids: set[int]) -> dict[int, str]:
    return dict(org_selectors.visible_agencies(None).filter(pk__in=ids).values_list("pk", "name"))


# --- officers' side -------------------------------------------------------------------------------


_LATEST_OF_CASE: PreparedRead[Publication] = PreparedRead(  # the case page (core.prepared)
    lambda case_id: Publication.objects.defer("original_text").filter(case_id=case_id).order_by("-pk")[:1]
)


def latest_publication_of_case(case_id: int) -> Publication | None:
    """The case's latest publication, unscoped: the caller has checked the case is readable."""
    return _LATEST_OF_CASE.first(case_id)


def publications_for(actor: Any) -> QuerySet[Publication]:
    ids = org_selectors.read_agency_ids(actor)
    qs = Publication.objects.defer("original_text")
    return qs if ids is None else qs.filter(agency_id__in=ids)


# --- search and open data -------------------------------------------------------------------------


def search_decisions(
    *, q: str = "", year: int | None = None, agency_id: int | None = None, category: str = "", kind: str = ""
) -> QuerySet[Any]:
    """Full-text search over the published decisions' masked text (publicity.search)."""
    from publicity import search

    return search.entries(q=q, year=year, agency_id=agency_id, category=category, kind=kind)


def search_count(qs: QuerySet[Any], cap: int) -> int:
    """The matches of a search_decisions queryset, counted up to cap + 1 (publicity.search)."""
    from publicity import search

    return search.capped_count(qs, cap)


FACETS_CACHE_SECONDS = 300


def search_facets() -> dict[str, list[Any]]:
    """The values the search filters offer: years, agencies and violation types in the index.

    Three DISTINCT scans of the index: cached for five minutes (a new year or type appears late)."""
    from django.core.cache import cache

    cached = cache.get("publicity:search_facets")
    if cached is None:
        cached = _search_facets()
        cache.set("publicity:search_facets", cached, FACETS_CACHE_SECONDS)
    return cached  # type: ignore[no-any-return]


def _search_facets() -> dict[str, list[Any]]:
    from publicity.models import SearchEntry

    years = list(SearchEntry.objects.order_by("-year").values_list("year", flat=True).distinct())
    agency_ids = set(SearchEntry.objects.order_by().values_list("agency_id", flat=True).distinct())
    categories = list(
        SearchEntry.objects.exclude(category="")
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )
    names = agency_names(agency_ids)
    return {
        "years": years,
        "agencies": sorted(names.items(), key=lambda kv: kv[1]),
        "categories": categories,
    }


OPEN_DATA_FIELDS = (
    "public_id",
    "agency_id",
    "title",
    "category",
    "document_number",
    "party_label",
    "decided_on",
    "published_at",
    "status",
    "withdrawn_at",
    "withdrawal_reason",
    "updated_at",
)


def open_data_decisions(*, year: int | None = None) -> QuerySet[Publication]:
    """Public decisions for export, oldest first (a stable order for paging)."""
    qs = Publication.objects.filter(PUBLIC_FILTER).only(*OPEN_DATA_FIELDS)
    if year:
        qs = qs.filter(published_at__year=year)
    return qs.order_by("published_at", "pk")


def open_data_texts(pks: list[int]) -> dict[int, str]:
    """The masked text of the given decisions that are still published (never a withdrawn one)."""
    return dict(
        Publication.objects.filter(pk__in=pks, status=PublicationStatus.PUBLISHED).values_list(
            "pk", "masked_text"
        )
    )


def open_data_version(*, year: int | None = None) -> tuple[int, datetime.datetime | None]:
    """(count, last change) of the public decisions: the validators of the exports."""
    qs = Publication.objects.filter(PUBLIC_FILTER)
    if year:
        qs = qs.filter(published_at__year=year)
    agg = qs.aggregate(last=Max("updated_at"))
    return qs.count(), agg["last"]


# --- annual reports -------------------------------------------------------------------------------


def published_annual_reports() -> QuerySet[Any]:
    from publicity.models import AnnualReport, AnnualReportStatus

    return AnnualReport.objects.filter(status=AnnualReportStatus.PUBLISHED).order_by("-year", "agency_id")


def annual_reports_for(actor: Any) -> QuerySet[Any]:
    from publicity.models import AnnualReport

    ids = org_selectors.read_agency_ids(actor)
    qs = AnnualReport.objects.order_by("-year", "agency_id")
    return qs if ids is None else qs.filter(agency_id__in=ids)


def agencies_for(actor: Any) -> list[tuple[int, str]]:
    """The agencies whose reports the actor may compute (the ones they read)."""
    ids = org_selectors.read_agency_ids(actor)
    qs = org_selectors.visible_agencies(None).filter(active=True).order_by("path")
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return list(qs.values_list("pk", "name"))


# --- serious violators ----------------------------------------------------------------------------


def public_violators(*, q: str = "") -> QuerySet[Any]:
    """The listed entries, newest first; public fields only (masked party, number, rule, period)."""
    from publicity.models import ViolatorEntry, ViolatorStatus

    qs = (
        ViolatorEntry.objects.filter(status=ViolatorStatus.LISTED)
        .select_related("rule")
        .only(
            "pk",
            "agency_id",
            "party_label",
            "decision_number",
            "reason",
            "listed_on",
            "display_until",
            "rule__title",
            "rule__legal_basis",
        )
    )
    q = (q or "").strip()[:50]
    if q:
        qs = qs.filter(Q(party_label__icontains=q) | Q(decision_number__icontains=q))
    return qs.order_by("-listed_on", "-pk")


def violator_entries_for(actor: Any) -> QuerySet[Any]:
    from publicity.models import ViolatorEntry

    ids = org_selectors.read_agency_ids(actor)
    qs = ViolatorEntry.objects.select_related("rule", "publication").order_by("-pk")
    return qs if ids is None else qs.filter(agency_id__in=ids)


def violator_rules() -> QuerySet[Any]:
    from publicity.models import ViolatorRule

    return ViolatorRule.objects.filter(active=True).order_by("code")


# --- the public JSON API (api/routes/publicity.py) ------------------------------------------------


def search_excerpt(text: str, q: str) -> str:
    """Plain-text excerpt of a hit's masked text around the first query word (no markup)."""
    from publicity import search

    return search.excerpt(text, q)


def published_annual_report(pk: int) -> Any | None:
    return published_annual_reports().filter(pk=pk).first()
