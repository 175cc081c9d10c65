"""年度报告 services: compute (or recompute) a year's figures, approve them, publish them.

draft → approved → published (ANNUAL_TRANSITIONS). A draft is recomputed from the data on every
`annual_report_compute`; once approved its snapshot is frozen, so the published figures are the
approved ones. Every act is a ledger entry (`annual_report.<verb>`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.services.ledger import ledger_append
from publicity import annual, policies
from publicity.models import AnnualReport
from publicity.models import AnnualReportStatus as A

ANNUAL_TRANSITIONS: dict[str, frozenset[str]] = {
    A.DRAFT: frozenset({A.APPROVED}),
    A.APPROVED: frozenset({A.PUBLISHED}),
    A.PUBLISHED: frozenset(),
}
FIRST_YEAR = 2000


def _move(report: AnnualReport, *, to: str, actor: Any) -> None:
    old = report.status
    if to not in ANNUAL_TRANSITIONS[old]:
        raise DomainError(
            _(
                "The annual report is “%(status)s”: a report is computed, then approved by the head, "
                "then published; approved figures are not recomputed."
            )
            % {"status": A(old).label},
            code="annual_report_transition",
            basis="国办发〔2018〕118号",
        )
    report.status = to
    report.save()
    ledger_append(
        actor=actor,
        act=f"annual_report.{'approve' if to == A.APPROVED else 'publish'}",
        obj=report,
        agency_id=report.agency_id,
        payload={"year": report.year, "old": {"status": old}, "new": {"status": to}},
    )


def annual_report_compute(*, actor: Any, agency_id: int, year: int) -> AnnualReport:
    """Compute the year's statistics from the data into the (draft) report; refused once approved."""
    policies.ensure(actor, "annual_compute", agency_id)
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year <= this_year:
        raise DomainError(
            _("An annual report covers a year from %(first)s to %(last)s.")
            % {"first": FIRST_YEAR, "last": this_year},
            code="annual_report_year",
            field_errors={"year": [_("Choose a year that has begun.")]},
        )
    data = annual.annual_statistics(agency_id=agency_id, year=year)
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().filter(agency_id=agency_id, year=year).first()
        if report is not None and report.status != A.DRAFT:
            raise DomainError(
                _("The %(year)s report is already approved: its figures are frozen.") % {"year": year},
                code="annual_report_frozen",
                basis="国办发〔2018〕118号",
            )
        created = report is None
        if report is None:
            report = AnnualReport(agency_id=agency_id, year=year)
        report.data = data
        report.computed_at = timezone.now()
        report.computed_by = actor if getattr(actor, "pk", None) else None
        report.save()
        ledger_append(
            actor=actor,
            act="annual_report.compute",
            obj=report,
            agency_id=agency_id,
            payload={
                "year": year,
                "created": created,
                "cases_decided": data["cases"]["decided"],
                "fines_imposed": data["fines"]["imposed"],
                "publications": data["publications"]["published"],
                "complaints": data["complaints"]["received"],
            },
        )
    return report


def annual_report_approve(*, actor: Any, report: AnnualReport) -> AnnualReport:
    policies.ensure(actor, "annual_approve", report.agency_id, obj=report)
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
        locked.approved_by = actor if getattr(actor, "pk", None) else None
        locked.approved_at = timezone.now()
        _move(locked, to=A.APPROVED, actor=actor)
    return locked


def annual_report_publish(*, actor: Any, report: AnnualReport) -> AnnualReport:
    policies.ensure(actor, "annual_publish", report.agency_id, obj=report)
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
        locked.published_at = timezone.now()
        _move(locked, to=A.PUBLISHED, actor=actor)
    return locked
