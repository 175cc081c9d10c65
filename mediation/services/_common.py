"""What the mediation services share: the one `_move` (statuses change only through it and
`mediation.states.TRANSITIONS`), locking, the time-limit check, number patterns and constants.

Time limits (LEGAL.md has none for mediation: [U] LegalSettings seeded by migration 0002, issue 8's
defaults): accept or refuse within 5 working days of receipt; conclude within 30 days of acceptance
unless the parties agree to extend (an act of its own). Once the conclusion time limit has passed
without an extension, the mediation can only be recorded as failed (or withdrawn).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError, ValidationFailed
from core.services.ledger import ledger_append
from mediation import selectors
from mediation.models import (
    Mediation,
)
from mediation.models import Status as S
from mediation.states import TRANSITIONS
from org import selectors as org_selectors

BASIS = "[U] 行政调解办理时限（配置项，LEGAL.md 未规定；默认值见 issue 8 §5）"
DEFAULT_ROUTES = (
    "调解不成的，当事人可以依法申请行政裁决（土地、林地、矿业权、水事权属争议由人民政府依法处理），"
    "或者依法向人民法院提起诉讼。"
)
DOCUMENT_KIND = "mediation_agreement"
REFUSAL_KIND = "mediation_refusal"  # declared in mediation/documents.py
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")
MAX_TEXT = 5000


# Every document number is unique (documents.Document.number): each sequence gets its customary mark
# unless the agency configured a pattern of its own (core NumberPattern), as cases and service do.
NUMBER_PATTERNS = {
    "mediation": "{prefix}调〔{year}〕{seq}号",
    DOCUMENT_KIND: "{prefix}调协〔{year}〕{seq}号",
    REFUSAL_KIND: "{prefix}调不受〔{year}〕{seq}号",
}


def ensure_number_pattern(*, agency_id: int, sequence: str) -> None:
    """Record the default pattern of `sequence` for the agency (a system act) unless one is set."""
    from core.models import NumberPattern
    from core.scoping import agency_label
    from core.services.numbering import number_pattern_set

    if NumberPattern.objects.filter(agency_id=agency_id, kind=sequence).exists():
        return
    label = agency_label(agency_id)
    prefix = str(label.get("short_name") or label.get("name") or "")[:60]
    number_pattern_set(
        actor=None, agency_id=agency_id, kind=sequence, pattern=NUMBER_PATTERNS[sequence], prefix=prefix
    )


def _clean(value: Any, limit: int = MAX_TEXT) -> str:
    text = str(value or "")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()[:limit]


def _label(status: str) -> str:
    return str(S(status).label)


def _move(
    mediation: Mediation, *, to: str, actor: Any, act: str, payload: dict[str, Any] | None = None
) -> None:
    """The only code that changes a mediation's status; refuses moves not in TRANSITIONS."""
    if to not in TRANSITIONS[mediation.status]:
        raise Conflict(
            _("A mediation that is %(from)s cannot become %(to)s. Allowed next states: %(allowed)s.")
            % {
                "from": _label(mediation.status),
                "to": _label(to),
                "allowed": "、".join(_label(s) for s in sorted(TRANSITIONS[mediation.status]))
                or _("none (the mediation has ended)"),
            },
            code="mediation_transition_refused",
        )
    old = mediation.status
    mediation.status = to
    mediation.save()
    ledger_append(
        actor=actor,
        act=act,
        obj=mediation,
        agency_id=mediation.agency_id,
        payload={"from": old, "to": to, **(payload or {})},
    )


def _record(mediation: Mediation, *, actor: Any, act: str, payload: dict[str, Any]) -> None:
    ledger_append(actor=actor, act=act, obj=mediation, agency_id=mediation.agency_id, payload=payload)


def _locked(mediation: Mediation) -> Mediation:
    return Mediation.objects.select_for_update(of=("self",)).select_related("agency").get(pk=mediation.pk)


def _sync(mediation: Mediation, locked: Mediation) -> None:
    for field in Mediation._meta.concrete_fields:
        setattr(mediation, field.attname, getattr(locked, field.attname))


def _ended(mediation: Mediation) -> None:
    if not TRANSITIONS[mediation.status]:
        raise Conflict(
            _("This mediation has ended (%(status)s); nothing more can be recorded on it.")
            % {"status": _label(mediation.status)},
            code="mediation_ended",
        )


def _within_time_limit(mediation: Mediation, today: datetime.date | None = None) -> None:
    """Refuse an act of mediation once the conclusion time limit has passed (issue 8 §5)."""
    due = selectors.conclusion_due(mediation)
    today = today or timezone.localdate()
    if due is not None and today > due:
        raise DomainError(
            _(
                "The time limit of this mediation ended on %(due)s (conclude within %(days)s days of "
                "acceptance unless the parties agree to extend, issue 8 §5; [U] setting "
                "mediation.conclusion_days). Record the failure of the mediation and the routes left to the "
                "parties, or, if the parties agreed to extend before that day, record their agreement."
            )
            % {"due": due.isoformat(), "days": selectors.legal_setting_int(*selectors.CONCLUSION_DAYS)},
            code="mediation_time_limit_passed",
            status=409,
        )


def _officer(actor: Any) -> Any:
    officer = org_selectors.officer_for(actor)
    if officer is None:
        raise ValidationFailed(_("Sign in with your officer account."), code="mediation_officer_required")
    return officer


def notify_parties(
    mediation: Mediation,
    *,
    actor: Any,
    event: str,
    subject: str,
    text: Callable[[Any], str],
    occasion: str = "",
    sides: tuple[str, ...] = (),
) -> None:
    """Tell each party (or only those of `sides`) of an act, through the reminders' channels (SMS to the
    phone the party gave); queued in the act's transaction, one notification per act and party, each
    recorded in the ledger — a party without a phone is recorded as not reachable (the documents reach
    them by post or at the window)."""
    from reminders.services import notification_queue

    for party in mediation.parties.all().order_by("pk"):
        if sides and party.side not in sides:
            continue
        notification_queue(
            actor=actor,
            key=f"{event}:{mediation.pk}:{occasion}:{party.pk}",
            agency_id=mediation.agency_id,
            subject_label="mediation.mediation",
            subject_id=mediation.pk,
            event=event,
            recipient_name=party.representative or party.name,
            phone=party.phone,
            subject=subject,
            text=text(party),
        )
