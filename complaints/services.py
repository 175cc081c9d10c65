"""Writes on complaints (投诉举报). Keyword-only, with `actor`; each in one transaction with its
ledger act. Statuses change only through `_move` and TRANSITIONS.

Time limits (LEGAL.md has no figure for complaints: [U], LegalSettings seeded by migration 0002):
acknowledge (受理) within 5 working days, decide whether a report becomes a case lead within
15 working days, answer within 60 calendar days — all counted from the day of receipt.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from complaints import abuse, mail, policies, selectors
from complaints.models import (
    Attachment,
    Category,
    Complaint,
    Finding,
    Handover,
    LeadDecision,
    Satisfaction,
    Status,
)
from core.errors import Conflict, DomainError, ValidationFailed
from core.models import Deadline
from core.services.clock import deadline_satisfy, deadline_start
from core.services.files import file_store
from core.services.ledger import ledger_append
from org import selectors as org_selectors

S = Status

TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.ACCEPTED}),
    S.ACCEPTED: frozenset({S.ASSIGNED, S.CONVERTED, S.REPLIED}),
    S.ASSIGNED: frozenset({S.ASSIGNED, S.CONVERTED, S.REPLIED}),
    S.CONVERTED: frozenset({S.REPLIED}),
    S.REPLIED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}

ACKNOWLEDGE = "complaints.acknowledge"
LEAD_DECISION = "complaints.lead_decision"
REPLY = "complaints.reply"
BASIS = "[U] 投诉举报办理时限（配置项，LEGAL.md 未规定）"

PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")
MAX_REPLY = 5000


@dataclass(frozen=True)
class Upload:
    """A file as the form or the API received it."""

    name: str
    size: int
    fileobj: IO[bytes] | Any


def _status_label(status: str) -> str:
    return str(S(status).label)


def _move(
    complaint: Complaint, *, to: str, actor: Any, act: str, payload: dict[str, Any] | None = None
) -> None:
    """The only code that changes a complaint's status; refuses moves not in TRANSITIONS."""
    if to not in TRANSITIONS[complaint.status]:
        raise Conflict(
            _("A complaint that is %(from)s cannot become %(to)s. Allowed next states: %(allowed)s.")
            % {
                "from": _status_label(complaint.status),
                "to": _status_label(to),
                "allowed": "、".join(_status_label(s) for s in sorted(TRANSITIONS[complaint.status]))
                or _("none (the complaint is closed)"),
            },
            code="complaint_transition_refused",
        )
    old = complaint.status
    complaint.status = to
    complaint.save()
    ledger_append(
        actor=actor,
        act=act,
        obj=complaint,
        agency_id=complaint.agency_id,
        payload={"from": old, "to": to, **(payload or {})},
    )


def _record(complaint: Complaint, *, actor: Any, act: str, payload: dict[str, Any]) -> None:
    """A ledger act that changes no status (hand-over, identification, no-lead decision)."""
    complaint.save()
    ledger_append(actor=actor, act=act, obj=complaint, agency_id=complaint.agency_id, payload=payload)


def _locked(complaint: Complaint) -> Complaint:
    locked = Complaint.objects.select_for_update(of=("self",))  # not the outer-joined officer row
    return locked.select_related("subject_officer").get(pk=complaint.pk)


def _sync(complaint: Complaint, locked: Complaint) -> None:
    for field in Complaint._meta.concrete_fields:
        setattr(complaint, field.attname, getattr(locked, field.attname))


def _satisfy(complaint: Complaint, *, kind: str, actor: Any, by_act: str) -> None:
    for deadline in selectors.complaint_deadlines(complaint=complaint, kind=kind, open_only=True):
        deadline_satisfy(actor=actor, deadline=deadline, by_act=by_act)


def _clean_text(value: Any) -> str:
    """Text without control characters (NUL and the like), tabs and new lines kept."""
    text = str(value or "")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()


def _officer(actor: Any) -> Any:
    officer = org_selectors.officer_for(actor)
    if officer is None:
        raise ValidationFailed(
            _(
                "Only an officer can be responsible for a complaint (首问负责); sign in with your officer "
                "account."
            ),
            code="complaint_officer_required",
        )
    return officer


# --- the public side -----------------------------------------------------------------------------


def _validate_files(files: Sequence[Upload], errors: dict[str, list[str]]) -> list[tuple[Upload, str, str]]:
    accepted: list[tuple[Upload, str, str]] = []
    if len(files) > abuse.MAX_FILES:
        errors.setdefault("attachments", []).append(
            _("Attach at most %(max)d files (you chose %(n)d).") % {"max": abuse.MAX_FILES, "n": len(files)}
        )
        return accepted
    total = 0
    for upload in files:
        name = _clean_text(os.path.basename((upload.name or "").replace("\\", "/")))[:200] or "attachment"
        total += upload.size
        if upload.size > abuse.MAX_FILE_BYTES:
            errors.setdefault("attachments", []).append(
                _("%(name)s is too large (%(size)s MB); each file may have at most %(max)d MB.")
                % {
                    "name": name,
                    "size": f"{upload.size / 1048576:.1f}",
                    "max": abuse.MAX_FILE_BYTES // 1048576,
                }
            )
            continue
        head = upload.fileobj.read(16)
        upload.fileobj.seek(0)
        kind = abuse.sniff(head)
        if kind is None:
            errors.setdefault("attachments", []).append(
                _(
                    "%(name)s is not a picture (JPEG, PNG, GIF, WebP) or a PDF document; only these "
                    "are accepted."
                )
                % {"name": name}
            )
            continue
        accepted.append((upload, name, kind[0]))
    if total > abuse.MAX_TOTAL_BYTES:
        errors.setdefault("attachments", []).append(
            _("The attachments together may have at most %(max)d MB.")
            % {"max": abuse.MAX_TOTAL_BYTES // 1048576}
        )
    return accepted


def complaint_submit(
    *,
    actor: Any = None,
    agency_id: Any,
    category: str,
    description: str,
    location: str = "",
    anonymous: bool = False,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    officer_named: str = "",
    officer_certificate: str = "",
    files: Sequence[Upload] = (),
) -> Complaint:
    """A complaint or report from the public (actor None): stored with its attachments, a tracking
    code, and its time limits started from today."""
    errors: dict[str, list[str]] = {}
    agency = None
    try:
        pk = int(agency_id)
        if 0 < pk < 2**62:
            agency = org_selectors.visible_agencies(None).filter(active=True, pk=pk).first()
    except (TypeError, ValueError):
        pass
    if agency is None:
        errors["agency"] = [_("Choose the agency the complaint is for.")]
    if category not in Category.values:
        errors["category"] = [_("Choose what the complaint is about.")]
    description = _clean_text(description)
    location = _clean_text(location)
    if not description:
        errors["description"] = [_("Describe what happened: what, where, when, who.")]
    elif len(description) > abuse.MAX_DESCRIPTION:
        errors["description"] = [
            _(
                "The description is too long: %(n)d characters, at most %(max)d. Shorten it or attach "
                "a PDF document."
            )
            % {"n": len(description), "max": abuse.MAX_DESCRIPTION}
        ]
    if len(location) > abuse.MAX_LOCATION:
        errors["location"] = [
            _("The location may have at most %(max)d characters.") % {"max": abuse.MAX_LOCATION}
        ]
    name, phone, email = _clean_text(contact_name), _clean_text(contact_phone), _clean_text(contact_email)
    if anonymous and category != Category.VIOLATION:
        errors["anonymous"] = [
            _(
                "Only reports of violations may be anonymous; a complaint needs your name and a phone "
                "number or e-mail address so that the answer reaches you."
            )
        ]
    if anonymous:
        name = phone = email = ""  # never stored, even if typed
    else:
        if not name:
            errors["contact_name"] = [_("Give your name (or choose to report anonymously).")]
        elif len(name) > 100:
            errors["contact_name"] = [_("The name may have at most 100 characters.")]
        if not phone and not email:
            errors["contact_phone"] = [_("Give a phone number or an e-mail address.")]
        if phone and not PHONE_RE.match(phone):
            errors["contact_phone"] = [_("Enter a phone number of digits (a leading + and dashes allowed).")]
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors["contact_email"] = [_("Enter a valid e-mail address.")]
    officer_named, officer_certificate = (
        _clean_text(officer_named)[:100],
        _clean_text(officer_certificate)[:60],
    )
    if category != Category.CONDUCT:
        officer_named = officer_certificate = ""
    accepted = _validate_files(files, errors)
    if errors:
        raise ValidationFailed(
            _("The complaint was not sent: correct the fields marked."), field_errors=errors, status=422
        )
    assert agency is not None
    today = timezone.localdate()
    subject = (
        selectors.officer_by_certificate(agency_id=agency.pk, number=officer_certificate)
        if officer_certificate
        else None
    )
    with transaction.atomic():
        complaint = None
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    complaint = Complaint.objects.create(
                        agency=agency,
                        tracking_code=abuse.new_tracking_code(),
                        category=category,
                        description=description,
                        location=location,
                        anonymous=anonymous,
                        contact_name=name,
                        contact_phone=phone,
                        contact_email=email,
                        officer_named=officer_named,
                        officer_certificate=officer_certificate,
                        subject_officer=subject,
                        received_on=today,
                    )
                break
            except IntegrityError:  # the same code drawn twice (about 1 in 2**59)
                continue
        if complaint is None:
            raise Conflict(_("No tracking code could be issued; send the complaint again."))
        stored = []
        for upload, filename, content_type in accepted:
            file = file_store(
                actor=actor,
                fileobj=upload.fileobj,
                filename=filename,
                content_type=content_type,
                agency_id=agency.pk,
                act="complaint.attachment",
            )
            Attachment.objects.create(
                complaint=complaint, file=file, filename=filename, content_type=content_type, size=file.size
            )
            stored.append(file.digest)
        ledger_append(
            actor=actor,
            act="complaint.submit",
            obj=complaint,
            agency_id=agency.pk,
            payload={
                "category": category,
                "anonymous": anonymous,
                "attachments": stored,
                "subject_officer": subject.pk if subject else None,
                "status": complaint.status,
            },
        )
        starts = [
            (ACKNOWLEDGE, "投诉举报受理期限", Deadline.Unit.WORKDAYS, selectors.ACKNOWLEDGE_WORKDAYS),
            (REPLY, "投诉举报答复期限", Deadline.Unit.CALENDAR_DAYS, selectors.REPLY_DAYS),
        ]
        if category == Category.VIOLATION:
            starts.append(
                (
                    LEAD_DECISION,
                    "是否转为案件线索决定期限",
                    Deadline.Unit.WORKDAYS,
                    selectors.LEAD_DECISION_WORKDAYS,
                )
            )
        for kind, title, unit, (key, default) in starts:
            deadline_start(
                actor=actor,
                subject=complaint,
                agency_id=agency.pk,
                kind=kind,
                title=title,
                legal_basis=BASIS,
                unit=unit,
                amount=selectors.legal_setting_int(key, default),
                start_date=today,
            )
    return complaint


def complaint_feedback(
    *, actor: Any = None, complaint: Complaint, satisfaction: str, comment: str = ""
) -> Complaint:
    """The complainant's satisfaction with the answer (once, by tracking code); closes the complaint."""
    comment = _clean_text(comment)
    errors: dict[str, list[str]] = {}
    if satisfaction not in Satisfaction.values:
        errors["satisfaction"] = [_("Choose how satisfied you are with the answer.")]
    if len(comment) > abuse.MAX_FEEDBACK:
        errors["comment"] = [
            _("The comment may have at most %(max)d characters.") % {"max": abuse.MAX_FEEDBACK}
        ]
    if errors:
        raise ValidationFailed(
            _("The feedback was not sent: correct the fields marked."), field_errors=errors, status=422
        )
    with transaction.atomic():
        locked = _locked(complaint)
        if locked.status != S.REPLIED or locked.satisfaction:
            raise Conflict(
                _("Feedback is given once, after the answer; this complaint is %(status)s.")
                % {"status": _status_label(locked.status)},
                code="complaint_feedback_refused",
            )
        locked.satisfaction, locked.feedback = satisfaction, comment
        locked.feedback_at = locked.closed_at = timezone.now()
        _move(
            locked, to=S.CLOSED, actor=actor, act="complaint.feedback", payload={"satisfaction": satisfaction}
        )
    _sync(complaint, locked)
    return complaint


# --- the officers' side --------------------------------------------------------------------------


def complaint_accept(*, actor: Any, complaint: Complaint) -> Complaint:
    """受理: the officer who takes the complaint first becomes responsible for it (首问负责)."""
    policies.ensure(actor, "accept", complaint)
    officer = _officer(actor)
    with transaction.atomic():
        locked = _locked(complaint)
        locked.first_contact = locked.owner = officer
        locked.accepted_at = timezone.now()
        _move(
            locked,
            to=S.ACCEPTED,
            actor=actor,
            act="complaint.accept",
            payload={"owner": officer.pk, "owner_name": officer.name},
        )
        _satisfy(locked, kind=ACKNOWLEDGE, actor=actor, by_act="complaint.accept")
        mail.schedule(locked, "accept")
    _sync(complaint, locked)
    return complaint


def _conduct_refusal(complaint: Complaint, officer: Any, department: Any = None) -> None:
    if complaint.category != Category.CONDUCT:
        return
    subject = complaint.subject_officer
    if subject is None:
        raise DomainError(
            _(
                "A complaint about conduct is assigned only once the officer complained about is "
                "identified, so that it never reaches them or their department: identify the officer first."
            ),
            code="complaint_subject_unknown",
            status=409,
        )
    if (
        department is not None
        and subject.department_id is not None
        and department.pk == subject.department_id
    ):
        raise DomainError(
            _(
                "A complaint about an officer's conduct is never assigned to the department of the officer "
                "complained about (%(dept)s); choose another department."
            )
            % {"dept": department.name},
            code="complaint_conduct_conflict",
            status=409,
            field_errors={"department": [_("The department of the officer complained about.")]},
        )
    reason = policies.conflict_reason(complaint, officer)
    if reason:
        raise DomainError(
            reason,
            code="complaint_conduct_conflict",
            status=409,
            field_errors={
                "officer": [_("Choose an officer outside the department of the officer complained about.")]
            },
        )


def _colleague(complaint: Complaint, officer_id: Any) -> Any:
    try:
        pk = int(officer_id)
    except (TypeError, ValueError):
        pk = 0
    pk = pk if 0 < pk < 2**62 else 0
    officer = selectors.agency_officers(agency_id=complaint.agency_id).filter(pk=pk).first()
    if officer is None:
        raise ValidationFailed(
            _("Choose an active officer of the agency the complaint was sent to."),
            field_errors={"officer": [_("Choose an officer of this agency.")]},
            status=422,
        )
    return officer


def complaint_identify(*, actor: Any, complaint: Complaint, officer_id: Any) -> Complaint:
    """Record which officer a conduct complaint is about (from the name or certificate number given)."""
    policies.ensure(actor, "identify", complaint)
    if complaint.category != Category.CONDUCT:
        raise ValidationFailed(
            _("Only a complaint about conduct names an officer complained about."),
            code="complaint_not_conduct",
            status=422,
        )
    subject = _colleague(complaint, officer_id)
    with transaction.atomic():
        locked = _locked(complaint)
        old = locked.subject_officer_id
        locked.subject_officer = subject
        owner = locked.owner
        if owner is not None and policies.conflict_reason(locked, owner):
            raise DomainError(
                _(
                    "The responsible officer is the officer complained about or in their department: "
                    "hand the complaint over first to a colleague of another department, who then "
                    "records the identification."
                ),
                code="complaint_conduct_conflict",
                status=409,
            )
        _record(locked, actor=actor, act="complaint.identify", payload={"from": old, "to": subject.pk})
    _sync(complaint, locked)
    return complaint


def _handover(locked: Complaint, *, actor: Any, to: Any, department: Any, note: str) -> Handover:
    record = Handover.objects.create(
        complaint=locked,
        from_officer=locked.owner,
        to_officer=to,
        department=department,
        note=note[:500],
        by=actor if getattr(actor, "pk", None) else None,
    )
    ledger_append(
        actor=actor,
        act="complaint.handover",
        obj=locked,
        agency_id=locked.agency_id,
        payload={
            "from": locked.owner_id,
            "from_name": locked.owner.name if locked.owner else "",
            "to": to.pk,
            "to_name": to.name,
            "department": department.pk if department else None,
            "note": note[:500],
        },
    )
    locked.owner = to
    return record


def complaint_assign(
    *, actor: Any, complaint: Complaint, department_id: Any, officer_id: Any, note: str = ""
) -> Complaint:
    """分派: a department and the officer responsible in it (the hand-over is logged)."""
    policies.ensure(actor, "assign", complaint)
    try:
        department = (
            selectors.agency_departments(agency_id=complaint.agency_id)
            .filter(pk=int(department_id), active=True)
            .first()
        )
    except (TypeError, ValueError, OverflowError):
        department = None
    if department is None:
        raise ValidationFailed(
            _("Choose a department of the agency the complaint was sent to."),
            field_errors={"department": [_("Choose a department.")]},
            status=422,
        )
    officer = _colleague(complaint, officer_id)
    if officer.department_id != department.pk:
        raise ValidationFailed(
            _(
                "%(officer)s does not belong to %(dept)s: choose an officer of the department the "
                "complaint is assigned to."
            )
            % {"officer": officer.name, "dept": department.name},
            field_errors={"officer": [_("Choose an officer of the chosen department.")]},
            status=422,
        )
    with transaction.atomic():
        locked = _locked(complaint)
        _conduct_refusal(locked, officer, department)
        if locked.owner_id != officer.pk:
            _handover(locked, actor=actor, to=officer, department=department, note=_clean_text(note))
        locked.department = department
        locked.assigned_at = timezone.now()
        _move(
            locked,
            to=S.ASSIGNED,
            actor=actor,
            act="complaint.assign",
            payload={"department": department.pk, "owner": officer.pk},
        )
    _sync(complaint, locked)
    return complaint


def complaint_handover(*, actor: Any, complaint: Complaint, officer_id: Any, note: str = "") -> Handover:
    """移交: the responsible officer hands the complaint over to a named colleague."""
    policies.ensure(actor, "handover", complaint)
    officer = _colleague(complaint, officer_id)
    with transaction.atomic():
        locked = _locked(complaint)
        if locked.status in (S.REPLIED, S.CLOSED):
            raise Conflict(_("An answered complaint is not handed over any more."), code="complaint_answered")
        if locked.owner_id == officer.pk:
            raise ValidationFailed(
                _("%(officer)s is already responsible for this complaint.") % {"officer": officer.name},
                field_errors={"officer": [_("Choose another officer.")]},
                status=422,
            )
        if policies.conflict_reason(locked, officer):  # only once the officer complained about is known
            _conduct_refusal(locked, officer)
        record = _handover(
            locked, actor=actor, to=officer, department=locked.department, note=_clean_text(note)
        )
        locked.save()
    _sync(complaint, locked)
    return record


def complaint_convert(*, actor: Any, complaint: Complaint, title: str = "") -> Complaint:
    """转为案件线索: the report becomes a lead (source complaint) in one act; the lead's 立案 time
    limit runs from the day the report was received."""
    policies.ensure(actor, "decide_lead", complaint)
    if complaint.category != Category.VIOLATION:
        raise ValidationFailed(
            _("Only a report of a violation becomes a case lead; answer this complaint instead."),
            code="complaint_not_a_report",
            status=422,
        )
    with transaction.atomic():
        locked = _locked(complaint)
        if locked.lead_decision:
            raise Conflict(
                _("It was already decided whether this report becomes a case lead."),
                code="complaint_lead_decided",
            )
        case = case_services.lead_register(
            actor=actor,
            agency=locked.agency,
            source="complaint",
            discovered_on=locked.received_on,
            description=locked.description,
            location=locked.location,
            reported_by=f"投诉举报 {abuse.display_code(locked.tracking_code)}",  # never the identity
            title=_clean_text(title)[:200],
        )
        locked.case_id = case.pk
        locked.lead_decision = LeadDecision.LEAD
        locked.lead_decided_at = timezone.now()
        _move(locked, to=S.CONVERTED, actor=actor, act="complaint.convert", payload={"case": case.pk})
        _satisfy(locked, kind=LEAD_DECISION, actor=actor, by_act="complaint.convert")
    _sync(complaint, locked)
    return complaint


def complaint_no_lead(*, actor: Any, complaint: Complaint, reason: str) -> Complaint:
    """The report does not become a case lead (reason required); the decision's time limit is met."""
    policies.ensure(actor, "decide_lead", complaint)
    reason = _clean_text(reason)
    if complaint.category != Category.VIOLATION:
        raise ValidationFailed(
            _("Only a report of a violation needs this decision."), code="complaint_not_a_report", status=422
        )
    if not reason or len(reason) > MAX_REPLY:
        raise ValidationFailed(
            _("Give the reason why the report does not become a case lead."),
            field_errors={"reason": [_("Give the reason.")]},
            status=422,
        )
    with transaction.atomic():
        locked = _locked(complaint)
        if locked.lead_decision:
            raise Conflict(
                _("It was already decided whether this report becomes a case lead."),
                code="complaint_lead_decided",
            )
        locked.lead_decision, locked.lead_decision_reason = LeadDecision.NO_LEAD, reason
        locked.lead_decided_at = timezone.now()
        _record(locked, actor=actor, act="complaint.no_lead", payload={"reason": reason})
        _satisfy(locked, kind=LEAD_DECISION, actor=actor, by_act="complaint.no_lead")
    _sync(complaint, locked)
    return complaint


def complaint_reply(*, actor: Any, complaint: Complaint, text: str, finding: str = "") -> Complaint:
    """答复: the answer the complainant reads with the tracking code (no personal data in it), with
    the finding (成立 / 部分成立 / 不成立) — required for a complaint about enforcement conduct."""
    policies.ensure(actor, "reply", complaint)
    finding = str(finding or "").strip()
    if finding and finding not in Finding.values:
        raise ValidationFailed(
            _("Choose the finding from the list."),
            field_errors={"finding": [_("Choose the finding from the list.")]},
            status=422,
        )
    if complaint.category == Category.CONDUCT and not finding:
        raise ValidationFailed(
            _(
                "A complaint about enforcement conduct is answered with its finding: say whether it was "
                "upheld, partly upheld or not upheld (the finding counts in the assessment of the "
                "officers, 评议考核)."
            ),
            field_errors={"finding": [_("Choose the finding.")]},
            status=422,
        )
    text = _clean_text(text)
    if not text:
        raise ValidationFailed(
            _("Write the answer."), field_errors={"text": [_("Write the answer.")]}, status=422
        )
    if len(text) > MAX_REPLY:
        raise ValidationFailed(
            _("The answer may have at most %(max)d characters.") % {"max": MAX_REPLY},
            field_errors={"text": [_("Shorten the answer.")]},
            status=422,
        )
    with transaction.atomic():
        locked = _locked(complaint)
        if locked.category == Category.VIOLATION and not locked.lead_decision:
            raise DomainError(
                _("Decide first whether the report becomes a case lead; then answer it."),
                code="complaint_lead_undecided",
                status=409,
            )
        locked.reply = text
        locked.finding = finding
        locked.replied_at = timezone.now()
        _move(
            locked,
            to=S.REPLIED,
            actor=actor,
            act="complaint.reply",
            payload={"length": len(text), "finding": finding},
        )
        _satisfy(locked, kind=REPLY, actor=actor, by_act="complaint.reply")
        mail.schedule(locked, "reply")
    _sync(complaint, locked)
    return complaint


def complaint_close(*, actor: Any, complaint: Complaint) -> Complaint:
    """办结 without the complainant's feedback (e.g. none came back)."""
    policies.ensure(actor, "close", complaint)
    with transaction.atomic():
        locked = _locked(complaint)
        locked.closed_at = timezone.now()
        _move(locked, to=S.CLOSED, actor=actor, act="complaint.close")
    _sync(complaint, locked)
    return complaint
