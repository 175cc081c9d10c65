"""Escalation of overdue first-contact items (首问负责 / 限时办结, issue 8 §6): the daily job reports
each inquiry, licence application, reminder response or application for mediation that passed its
time limit to the heads of its agency — once per item (`Escalation`, unique per kind and item), one
`first_contact.escalated` ledger act, and a notification to each head by e-mail through the
reminders' channels (each recorded there). The list itself is `guidance.selectors.first_contact_overdue`."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services.ledger import ledger_append
from guidance import selectors
from guidance.models import Escalation
from org import selectors as org_selectors


def first_contact_escalate(*, today: datetime.date | None = None) -> int:
    """Report every overdue first-contact item not reported yet; returns how many were reported."""
    from reminders.services import notification_queue

    today = today or timezone.localdate()
    reported = 0
    for row in selectors.first_contact_overdue(actor=None, today=today):
        if row["escalated_on"] is not None:
            continue
        heads = list(org_selectors.agency_heads(agency_id=row["agency_id"]).order_by("pk"))
        try:
            with transaction.atomic():
                escalation = Escalation.objects.create(
                    kind=row["kind"],
                    item_id=row["pk"],
                    agency_id=row["agency_id"],
                    reference=str(row["reference"])[:120],
                    owner_name=str(row["owner_name"])[:100],
                    due_date=row["due_date"],
                    escalated_on=today,
                    heads=[h.pk for h in heads],
                )
                ledger_append(
                    actor=None,
                    act="first_contact.escalated",
                    obj=escalation,
                    agency_id=row["agency_id"],
                    payload={
                        "kind": row["kind"],
                        "item": row["pk"],
                        "reference": escalation.reference,
                        "owner": escalation.owner_name,
                        "due_date": row["due_date"].isoformat(),
                        "days_late": row["days_late"],
                        "heads": escalation.heads,
                    },
                )
                for head in heads:
                    officer = org_selectors.officer_for(head)
                    notification_queue(
                        actor=None,
                        key=f"first_contact.escalated:{row['kind']}:{row['pk']}:{head.pk}",
                        agency_id=row["agency_id"],
                        subject_label="guidance.escalation",
                        subject_id=escalation.pk,
                        event="first_contact.escalated",
                        recipient_name=officer.name if officer else head.get_username(),
                        email=head.email,
                        subject=_("[Overdue] %(kind)s %(reference)s")
                        % {"kind": row["kind_label"], "reference": escalation.reference},
                        text=_(
                            "%(kind)s %(reference)s (%(title)s, %(party)s) was due on %(due)s and is "
                            "%(days)s days late. Responsible officer (首问负责): %(owner)s. The list of "
                            "overdue items: %(link)s"
                        )
                        % {
                            "kind": row["kind_label"],
                            "reference": escalation.reference,
                            "title": row["title"],
                            "party": row["party"],
                            "due": row["due_date"].isoformat(),
                            "days": row["days_late"],
                            "owner": escalation.owner_name or _("nobody yet"),
                            "link": reverse("guidance:overdue"),
                        },
                    )
        except IntegrityError:  # another run reported it meanwhile
            continue
        reported += 1
    return reported
