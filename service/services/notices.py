"""Delivery of the licensing notices (受理/补正/不予受理/准予/不予许可, the hearing notices and the
decisions ending a licence): the officer records how each reached the applicant or holder (at the
window, by post, electronically, by public notice); the applicant's first download from the progress
page (tracking code) is recorded by the system as delivery online. One ledger act per delivery."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from core.services.ledger import ledger_append
from documents import selectors as document_selectors
from service import policies
from service.models import Application, DeliveryMethod, Licence, NoticeDelivery
from service.services.applications import clean_text

OFFICER_METHODS = frozenset(
    {DeliveryMethod.WINDOW, DeliveryMethod.POST, DeliveryMethod.ELECTRONIC, DeliveryMethod.PUBLIC_NOTICE}
)


def _subject_type(subject: Application | Licence) -> str:
    return "service.application" if isinstance(subject, Application) else "service.licence"


def subject_documents(subject: Application | Licence) -> Any:
    """The notices issued about an application or a licence (system read; callers check access)."""
    return document_selectors.documents_for_subject(
        actor=None, subject_type=_subject_type(subject), subject_id=subject.pk
    )


def notice_delivery_record(
    *,
    actor: Any,
    subject: Application | Licence,
    document_id: Any,
    method: str,
    delivered_on: datetime.date | None,
    recipient: str = "",
    note: str = "",
) -> NoticeDelivery:
    """送达: how and when a notice reached the applicant (or holder), recorded by the officer."""
    if isinstance(subject, Application):
        policies.ensure(actor, "handle", subject)
    else:
        policies.ensure(actor, "inspect", subject.agency)
    errors: dict[str, list[str]] = {}
    try:
        pk = int(document_id)
    except (TypeError, ValueError):
        pk = 0
    document = subject_documents(subject).filter(pk=pk).first()
    if document is None:
        errors["document"] = [_("Choose one of the notices issued on this matter.")]
    if method not in OFFICER_METHODS:
        errors["method"] = [_("Choose how the notice was delivered.")]
    today = timezone.localdate()
    if not isinstance(delivered_on, datetime.date):
        errors["delivered_on"] = [_("Give the day of delivery.")]
    elif delivered_on > today:
        errors["delivered_on"] = [
            _("A delivery is recorded once it has happened; the date is in the future.")
        ]
    elif document is not None and delivered_on < document.issued_on:
        errors["delivered_on"] = [
            _("The notice was issued on %(on)s; it cannot have been delivered before.")
            % {"on": document.issued_on.isoformat()}
        ]
    recipient, note = clean_text(recipient, 200), clean_text(note, 500)
    if method == DeliveryMethod.WINDOW and not recipient:
        errors["recipient"] = [_("Name who received the notice at the window.")]
    if errors:
        raise ValidationFailed(
            _("The delivery was not recorded: correct the fields marked."), field_errors=errors, status=422
        )
    assert document is not None and isinstance(delivered_on, datetime.date)
    with transaction.atomic():
        row = NoticeDelivery.objects.create(
            agency_id=subject.agency_id,
            subject_type=_subject_type(subject),
            subject_id=subject.pk,
            document_id=document.pk,
            document_number=document.number,
            method=method,
            delivered_on=delivered_on,
            recipient=recipient,
            note=note,
            by=actor if getattr(actor, "pk", None) else None,
        )
        ledger_append(
            actor=actor,
            act="notice.delivery",
            obj=row,
            agency_id=subject.agency_id,
            payload={
                "document": document.pk,
                "number": document.number,
                "method": method,
                "delivered_on": delivered_on.isoformat(),
                "recipient": recipient,
            },
        )
    return row


def notice_downloaded(*, application: Application, document: Any) -> NoticeDelivery | None:
    """The applicant opened the notice from the progress page (tracking code): recorded once per notice
    as delivered online, an act of the system."""
    with transaction.atomic():
        # Serialise downloads of one application's notices so that the first is recorded once.
        Application.objects.select_for_update(of=("self",)).filter(pk=application.pk).first()
        if NoticeDelivery.objects.filter(
            subject_type="service.application", document_id=document.pk, method=DeliveryMethod.ONLINE
        ).exists():
            return None
        row = NoticeDelivery.objects.create(
            agency_id=application.agency_id,
            subject_type="service.application",
            subject_id=application.pk,
            document_id=document.pk,
            document_number=document.number,
            method=DeliveryMethod.ONLINE,
            delivered_on=timezone.localdate(),
        )
        ledger_append(
            actor=None,
            act="notice.downloaded",
            obj=row,
            agency_id=application.agency_id,
            payload={"document": document.pk, "number": document.number},
        )
    return row
