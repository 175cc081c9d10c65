"""Reads on the exchange: export batches of the actor's agency, batches received from below."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from exchange.models import ExportBatch, ReceivedBatch
from org.selectors import officer_for, read_agency_ids


def batches_for(actor: Any) -> QuerySet[ExportBatch]:
    ids = read_agency_ids(actor)
    qs = ExportBatch.objects.select_related("file").order_by("-since")
    return qs if ids is None else qs.filter(agency_id__in=ids)


def received_for(actor: Any) -> QuerySet[ReceivedBatch]:
    """Batches received by the actor's agency from the agencies below it."""
    officer = officer_for(actor)
    qs = ReceivedBatch.objects.select_related("source").order_by("-received_at", "-pk")
    if officer is None:
        return qs if read_agency_ids(actor) is None else qs.none()
    return qs.filter(receiver_id=officer.agency_id)


def agency_of(actor: Any) -> Any:
    """The agency the actor reports for; PermissionDenied for a login that is no officer."""
    from django.utils.translation import gettext as _

    from core.errors import PermissionDenied

    officer = officer_for(actor)
    if officer is None:
        raise PermissionDenied(
            _("Only officers registered in an agency report upward."), code="not_an_officer"
        )
    return officer.agency


def source_or_404(*, code: str) -> Any:
    from django.utils.translation import gettext as _

    from core.errors import NotFound
    from org.selectors import visible_agencies

    source = visible_agencies(None).filter(code=code).first()
    if source is None:
        raise NotFound(_("No agency has the code %(code)s.") % {"code": code}, code="agency_not_found")
    return source
