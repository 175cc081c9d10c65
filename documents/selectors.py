"""Reads of the documents app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.errors import NotFound
from core.prepared import PreparedRead
from documents import policies
from documents.kinds import KINDS, KindSpec
from documents.models import Document, TemplateStatus, TemplateVersion
from org import selectors as org_selectors


@dataclass(frozen=True)
class KindOverview:
    spec: KindSpec
    active: TemplateVersion | None
    latest: TemplateVersion | None
    drafts: int


def template_overview() -> list[KindOverview]:
    """Every declared kind with its active version, its newest version and the number of drafts."""
    versions = list(TemplateVersion.objects.order_by("kind", "-version"))
    out = []
    for code, spec in KINDS.items():
        mine = [v for v in versions if v.kind == code]
        out.append(
            KindOverview(
                spec=spec,
                active=next((v for v in mine if v.status == TemplateStatus.ACTIVE), None),
                latest=mine[0] if mine else None,
                drafts=sum(1 for v in mine if v.status == TemplateStatus.DRAFT),
            )
        )
    return out


def template_versions(*, kind: str) -> QuerySet[TemplateVersion]:
    return TemplateVersion.objects.filter(kind=kind).select_related("created_by").order_by("-version")


def template_version_get(*, pk: int) -> TemplateVersion:
    version = TemplateVersion.objects.filter(pk=pk).select_related("created_by").first()
    if version is None:
        raise NotFound(
            _("No template version %(pk)s exists.") % {"pk": pk}, code="document_template_not_found"
        )
    return version


def document_by_code(*, code: str) -> Document | None:
    """The document a verification code names (public: the caller shows no personal data)."""
    clean = "".join(ch for ch in code.upper() if ch.isalnum())
    if not 8 <= len(clean) <= 20:
        return None
    return Document.objects.select_related("agency").filter(verification_code=clean).first()


def correction_of(document: Document) -> Document | None:
    return Document.objects.filter(supersedes=document).first()


def visible_documents(actor: Any) -> QuerySet[Document]:
    ids = org_selectors.read_agency_ids(actor)
    qs = Document.objects.select_related("agency", "template_version")
    return qs if ids is None else qs.filter(agency_id__in=ids)


def documents_for_subject(*, actor: Any, subject_type: str, subject_id: str | int) -> QuerySet[Document]:
    """The documents issued about one subject (e.g. "cases.case", 42), newest first, scoped to the actor."""
    return visible_documents(actor).filter(subject_type=subject_type, subject_id=str(subject_id))


_SUBJECT_READS: dict[str, PreparedRead[Document]] = {}


def subject_document_list(*, actor: Any, subject_type: str, subject_id: int) -> list[Document]:
    """The documents issued about one subject, oldest first, scoped to the actor: a page's panel,
    compiled once per subject type (core.prepared)."""
    read = _SUBJECT_READS.get(subject_type)
    if read is None:
        read = _SUBJECT_READS.setdefault(
            subject_type,
            PreparedRead(
                lambda sid: (
                    Document.objects.select_related("agency", "template_version")
                    .filter(subject_type=subject_type, subject_id=str(sid))
                    .order_by("issued_on", "pk")
                ),
                name=f"documents of {subject_type}",
            ),
        )
    ids = org_selectors.read_agency_ids(actor)
    rows = read(subject_id)
    return rows if ids is None else [d for d in rows if d.agency_id in ids]


def may_manage_templates(actor: Any) -> bool:
    return policies.can(actor, "manage_templates")
