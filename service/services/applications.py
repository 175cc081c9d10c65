"""Licence applications (许可申请) under 行政许可法 (LEGAL.md §3). Keyword-only writes with `actor`,
each in one transaction with its ledger act; statuses change only through `_move` and TRANSITIONS.

    received ──补正 (Art.32: one complete list, within 5 WD, else accepted on receipt)──▶ correction
    received / correction ──▶ accepted (受理通知书) | rejected (不予受理决定书)
    accepted ⇄ paused (hearing, expert review: Art.45, the clock is suspended)
    accepted ──▶ granted (准予行政许可决定书) | refused (不予行政许可决定书, reasons and remedies)
    granted ──▶ issued (the licence, within 10 WD: Art.44)
    received / correction / accepted / paused ──▶ deemed_renewed (renewal undecided at expiry, Art.50)

Time limits are core Deadlines on the application (working days, Art.82): `service.correction_notice`
(5), `service.decision` (20, joint handling 45; +10 / +15 with the head's approval, Art.42),
`service.issue` (10). The figures are LegalSettings (migration 0002).
"""

from __future__ import annotations

import datetime
import hashlib
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

from core.errors import Conflict, ValidationFailed
from core.models import Deadline
from core.services.calendar import calendar_snapshot
from core.services.clock import (
    deadline_cancel,
    deadline_pause,
    deadline_reassign,
    deadline_resume,
    deadline_satisfy,
    deadline_start,
)
from core.services.files import file_store
from core.services.ledger import ledger_append
from documents import services as document_services
from org import selectors as org_selectors
from service import abuse, policies, selectors
from service.documents import ensure_number_pattern, remedy_bodies
from service.models import (
    Application,
    ApplicationAttachment,
    AppStatus,
    Channel,
    Handover,
    LicenceKind,
    RiskLevel,
)

S = AppStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.CORRECTION, S.ACCEPTED, S.REJECTED, S.DEEMED_RENEWED}),
    S.CORRECTION: frozenset({S.ACCEPTED, S.REJECTED, S.DEEMED_RENEWED}),
    S.ACCEPTED: frozenset({S.PAUSED, S.GRANTED, S.REFUSED, S.DEEMED_RENEWED}),
    S.PAUSED: frozenset({S.ACCEPTED, S.DEEMED_RENEWED}),
    S.GRANTED: frozenset({S.ISSUED}),
    S.REJECTED: frozenset(),
    S.REFUSED: frozenset(),
    S.ISSUED: frozenset(),
    S.DEEMED_RENEWED: frozenset(),
}

CORRECTION = "service.correction_notice"
DECISION = "service.decision"
ISSUE = "service.issue"
BASIS_32 = "《行政许可法》第32条"
BASIS_42 = "《行政许可法》第42条"
BASIS_44 = "《行政许可法》第44条"

PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")
ID_RE = re.compile(r"^[0-9A-Z]{15,18}$")


@dataclass(frozen=True)
class Upload:
    """A file as the form or the API received it."""

    name: str
    size: int
    fileobj: IO[bytes] | Any


def _label(status: str) -> str:
    return str(S(status).label)


def _move(app: Application, *, to: str, actor: Any, act: str, payload: dict[str, Any] | None = None) -> None:
    """The only code that changes an application's status; refuses moves not in TRANSITIONS."""
    if to not in TRANSITIONS[app.status]:
        raise Conflict(
            _("An application that is %(from)s cannot become %(to)s. Allowed next states: %(allowed)s.")
            % {
                "from": _label(app.status),
                "to": _label(to),
                "allowed": "、".join(_label(s) for s in sorted(TRANSITIONS[app.status])) or _("none"),
            },
            code="application_transition_refused",
        )
    old = app.status
    app.status = to
    app.save()
    ledger_append(
        actor=actor,
        act=act,
        obj=app,
        agency_id=app.agency_id,
        payload={"from": old, "to": to, **(payload or {})},
    )


def _locked(app: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related("kind", "agency").get(pk=app.pk)


def _sync(app: Application, locked: Application) -> None:
    for field in Application._meta.concrete_fields:
        setattr(app, field.attname, getattr(locked, field.attname))


def clean_text(value: Any, limit: int = abuse.MAX_TEXT) -> str:
    text = str(value or "")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()[:limit]


def _norm(value: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or "")).upper()


def dedup_key(
    *, agency_id: int, kind_id: int, id_number: str, project: str, location: str, renewal_of: Any
) -> str:
    raw = "|".join(
        [
            str(agency_id),
            str(kind_id),
            _norm(id_number),
            _norm(project),
            _norm(location),
            str(renewal_of or ""),
        ]
    )
    return hashlib.sha256(raw.encode()).hexdigest()


def _open_deadlines(app: Application, kind: str) -> list[Deadline]:
    return list(selectors.subject_deadlines(app, kind=kind, open_only=True))


def _satisfy(app: Application, *, kind: str, actor: Any, by_act: str) -> None:
    for deadline in _open_deadlines(app, kind):
        deadline_satisfy(actor=actor, deadline=deadline, by_act=by_act)


def _officer(actor: Any) -> Any:
    officer = org_selectors.officer_for(actor)
    if officer is None:
        raise ValidationFailed(
            _(
                "Only an officer can be responsible for an application "
                "(首问负责); sign in with your officer account."
            ),
            code="application_officer_required",
        )
    return officer


def _document_context(app: Application, **extra: Any) -> dict[str, Any]:
    return {
        "applicant_name": app.applicant_name,
        "applicant_id_number": app.applicant_id_number,
        "licence_kind": app.kind.name,
        "project": app.project,
        "received_on": app.received_on,
        "tracking_code": abuse.display_code(app.tracking_code),
        **extra,
    }


def _issue_document(app: Application, *, actor: Any, kind: str, on: datetime.date, **extra: Any) -> Any:
    ensure_number_pattern(agency_id=app.agency_id, sequence=kind)
    return document_services.document_issue(
        actor=actor,
        kind=kind,
        context=_document_context(app, **extra),
        subject_type="service.application",
        subject_id=app.pk,
        agency=app.agency,
        on=on,
        key=f"{kind}-{app.pk}",
    )


# --- submission ----------------------------------------------------------------------------------


def _validate_files(files: Sequence[Upload], errors: dict[str, list[str]]) -> list[tuple[Upload, str, str]]:
    accepted: list[tuple[Upload, str, str]] = []
    if len(files) > abuse.MAX_FILES:
        errors.setdefault("attachments", []).append(
            _("Attach at most %(max)d files (you chose %(n)d).") % {"max": abuse.MAX_FILES, "n": len(files)}
        )
        return accepted
    total = 0
    for upload in files:
        name = clean_text(os.path.basename((upload.name or "").replace("\\", "/")), 200) or "attachment"
        total += upload.size
        if upload.size > abuse.MAX_FILE_BYTES:
            errors.setdefault("attachments", []).append(
                _("%(name)s is too large; each file may have at most %(max)d MB.")
                % {"name": name, "max": abuse.MAX_FILE_BYTES // 1048576}
            )
            continue
        head = upload.fileobj.read(16)
        upload.fileobj.seek(0)
        content_type = abuse.sniff(head)
        if content_type is None:
            errors.setdefault("attachments", []).append(
                _("%(name)s is not a PDF document or a picture (JPEG, PNG); only these are accepted.")
                % {"name": name}
            )
            continue
        accepted.append((upload, name, content_type))
    if total > abuse.MAX_TOTAL_BYTES:
        errors.setdefault("attachments", []).append(
            _("The attachments together may have at most %(max)d MB.")
            % {"max": abuse.MAX_TOTAL_BYTES // 1048576}
        )
    return accepted


def _int(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**62 else 0


def application_submit(
    *,
    actor: Any = None,
    agency_id: Any,
    kind_id: Any,
    applicant_name: str,
    applicant_id_number: str,
    project: str,
    location: str,
    applicant_phone: str = "",
    applicant_email: str = "",
    applicant_address: str = "",
    description: str = "",
    joint: bool = False,
    renewal_of_id: Any = None,
    files: Sequence[Upload] = (),
    today: datetime.date | None = None,
) -> Application:
    """A licence application: online from the portal (actor None) or registered at the service window
    by an officer (who becomes its first-contact owner). Duplicates of an open application are refused.
    The 5-WD limit for a complete list of missing materials starts on receipt (Art.32)."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    agency = None
    pk = _int(agency_id)
    if pk:
        agency = org_selectors.visible_agencies(None).filter(active=True, pk=pk).first()
    if agency is None:
        errors["agency"] = [_("Choose the agency the application is for.")]
    kind = LicenceKind.objects.filter(pk=_int(kind_id), active=True).first()
    if kind is None:
        errors["kind"] = [_("Choose the licence you apply for.")]
    name, ident = clean_text(applicant_name, 100), _norm(clean_text(applicant_id_number, 30))
    project, location = clean_text(project, 200), clean_text(location, 255)
    phone, email = clean_text(applicant_phone, 30), clean_text(applicant_email, 254)
    address, description = clean_text(applicant_address, 255), clean_text(description)
    if not name:
        errors["applicant_name"] = [_("Give the applicant's name (a person or an organisation).")]
    if not ID_RE.match(ident):
        errors["applicant_id_number"] = [
            _(
                "Give the identity card number (18 characters) or the "
                "unified social credit code (18 characters)."
            )
        ]
    if not project:
        errors["project"] = [_("Say what the licence is for (the project or scope).")]
    if not location:
        errors["location"] = [_("Give the location.")]
    if not phone and not email:
        errors["applicant_phone"] = [_("Give a phone number or an e-mail address.")]
    if phone and not PHONE_RE.match(phone):
        errors["applicant_phone"] = [_("Enter a phone number of digits (a leading + and dashes allowed).")]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["applicant_email"] = [_("Enter a valid e-mail address.")]
    renewal_of = None
    if renewal_of_id not in (None, "", 0):
        from service.models import Licence, LicenceStatus

        renewal_of = Licence.objects.filter(pk=_int(renewal_of_id)).first()
        if renewal_of is None or (agency is not None and renewal_of.agency_id != agency.pk):
            errors["renewal_of"] = [_("No licence of this agency has this number.")]
        elif renewal_of.status != LicenceStatus.VALID or _norm(renewal_of.holder_id_number) != ident:
            errors["renewal_of"] = [_("Only the holder of a valid licence may apply to renew it.")]
        else:
            min_days = selectors.setting(selectors.RENEWAL_MIN_DAYS)
            if (renewal_of.valid_until - today).days < min_days:
                errors["renewal_of"] = [
                    _(
                        "A renewal must be applied for at least %(days)d days before the licence expires "
                        "(行政许可法 Art.50); licence %(number)s expires on "
                        "%(until)s. Apply for a new licence instead."
                    )
                    % {
                        "days": min_days,
                        "number": renewal_of.number,
                        "until": renewal_of.valid_until.isoformat(),
                    }
                ]
            if kind is not None and renewal_of.kind_id != kind.pk:
                errors["kind"] = [_("A renewal is for the same kind of licence.")]
    accepted = _validate_files(files, errors)
    if errors:
        raise ValidationFailed(
            _("The application was not sent: correct the fields marked."), field_errors=errors, status=422
        )
    assert agency is not None and kind is not None
    officer = None
    if actor is not None:
        policies.ensure(actor, "register", agency)
        officer = _officer(actor)
    key = dedup_key(
        agency_id=agency.pk,
        kind_id=kind.pk,
        id_number=ident,
        project=project,
        location=location,
        renewal_of=renewal_of.pk if renewal_of else None,
    )
    with transaction.atomic():
        # Serialise submissions of the same agency so that two identical ones cannot both pass.
        org_selectors.visible_agencies(None).select_for_update(of=("self",)).filter(pk=agency.pk).first()
        existing = selectors.duplicate_of(agency_id=agency.pk, dedup_key=key)
        if existing is not None:
            raise Conflict(
                _(
                    "The same applicant already applied for this licence for the same project and location "
                    "(received on %(on)s) and it is still being handled: follow that application with its "
                    "tracking code instead of applying again (行政许可法 Art.32 "
                    "requires one handling per application)."
                )
                % {"on": existing.received_on.isoformat()},
                code="application_duplicate",
            )
        app = None
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    app = Application.objects.create(
                        agency=agency,
                        kind=kind,
                        tracking_code=abuse.new_tracking_code(),
                        channel=Channel.WINDOW if officer else Channel.ONLINE,
                        applicant_name=name,
                        applicant_id_number=ident,
                        applicant_phone=phone,
                        applicant_email=email,
                        applicant_address=address,
                        project=project,
                        location=location,
                        description=description,
                        joint=bool(joint),
                        renewal_of=renewal_of,
                        dedup_key=key,
                        received_on=today,
                        first_contact=officer,
                        owner=officer,
                    )
                break
            except IntegrityError:
                continue
        if app is None:
            raise Conflict(_("No tracking code could be issued; send the application again."))
        stored = []
        for upload, filename, content_type in accepted:
            file = file_store(
                actor=actor,
                fileobj=upload.fileobj,
                filename=filename,
                content_type=content_type,
                agency_id=agency.pk,
                act="application.attachment",
            )
            ApplicationAttachment.objects.create(
                application=app, file=file, filename=filename, content_type=content_type, size=file.size
            )
            stored.append(file.digest)
        ledger_append(
            actor=actor,
            act="application.submit",
            obj=app,
            agency_id=agency.pk,
            payload={
                "kind": kind.code,
                "channel": app.channel,
                "attachments": stored,
                "joint": app.joint,
                "renewal_of": renewal_of.pk if renewal_of else None,
                "owner": officer.pk if officer else None,
                "status": app.status,
            },
        )
        deadline_start(
            actor=actor,
            subject=app,
            agency_id=agency.pk,
            kind=CORRECTION,
            title="补正材料一次告知期限",
            legal_basis=BASIS_32,
            unit=Deadline.Unit.WORKDAYS,
            amount=selectors.setting(selectors.CORRECTION_WORKDAYS),
            start_date=today,
            responsible=officer.user if officer else None,
            today=today,
        )
    return app


# --- first contact ---------------------------------------------------------------------------------


def application_take(*, actor: Any, application: Application) -> Application:
    """首问负责: the officer who takes an online application becomes responsible for it."""
    policies.ensure(actor, "take", application)
    officer = _officer(actor)
    with transaction.atomic():
        locked = _locked(application)
        if locked.owner_id is not None:
            raise Conflict(
                _("%(name)s is already responsible for this application; ask them to hand it over to you.")
                % {"name": locked.owner.name if locked.owner else ""},
                code="application_taken",
            )
        locked.first_contact = locked.owner = officer
        locked.save()
        ledger_append(
            actor=actor,
            act="application.take",
            obj=locked,
            agency_id=locked.agency_id,
            payload={"owner": officer.pk, "owner_name": officer.name},
        )
    _sync(application, locked)
    return application


def application_handover(
    *, actor: Any, application: Application, officer_id: Any, note: str = ""
) -> Handover:
    """移交: the responsible officer hands the application over to a named colleague (logged)."""
    policies.ensure(actor, "handover", application)
    officer = selectors.agency_officers(agency_id=application.agency_id).filter(pk=_int(officer_id)).first()
    if officer is None:
        raise ValidationFailed(
            _("Choose an active officer of the agency the application was sent to."),
            field_errors={"officer": [_("Choose an officer of this agency.")]},
            status=422,
        )
    with transaction.atomic():
        locked = _locked(application)
        if locked.owner_id == officer.pk:
            raise ValidationFailed(
                _("%(officer)s is already responsible for this application.") % {"officer": officer.name},
                field_errors={"officer": [_("Choose another officer.")]},
                status=422,
            )
        if locked.status not in selectors.OPEN_APPLICATION:
            raise Conflict(_("A closed application is not handed over any more."), code="application_closed")
        note = clean_text(note, 500)
        record = Handover.objects.create(
            application=locked,
            from_officer=locked.owner,
            to_officer=officer,
            note=note,
            by=actor if getattr(actor, "pk", None) else None,
        )
        ledger_append(
            actor=actor,
            act="application.handover",
            obj=locked,
            agency_id=locked.agency_id,
            payload={"from": locked.owner_id, "to": officer.pk, "to_name": officer.name, "note": note},
        )
        locked.owner = officer
        locked.save()
        for deadline in selectors.subject_deadlines(locked, open_only=True):
            deadline_reassign(actor=actor, deadline=deadline, responsible=officer.user)
    _sync(application, locked)
    return record


# --- acceptance (Art.32) ---------------------------------------------------------------------------


def _start_decision(app: Application, *, actor: Any, start: datetime.date, today: datetime.date) -> Deadline:
    base = selectors.JOINT_DECISION_WORKDAYS if app.joint else selectors.DECISION_WORKDAYS
    return deadline_start(
        actor=actor,
        subject=app,
        agency_id=app.agency_id,
        kind=DECISION,
        title="行政许可决定期限（集中办理）" if app.joint else "行政许可决定期限",
        legal_basis=BASIS_42,
        unit=Deadline.Unit.WORKDAYS,
        amount=selectors.setting(base),
        start_date=start,
        responsible=app.owner.user if app.owner else None,
        warn_days=3,
        today=today,
    )


def application_request_correction(
    *, actor: Any, application: Application, missing: Sequence[str], today: datetime.date | None = None
) -> Application:
    """补正: one complete list of what is missing, once, within 5 WD of receipt (Art.32 para.1 (4))."""
    policies.ensure(actor, "handle", application)
    today = today or timezone.localdate()
    items = [clean_text(m, 300) for m in missing if clean_text(m, 300)]
    if not items:
        raise ValidationFailed(
            _("List every missing material, one per line: the applicant is told once (一次告知)."),
            field_errors={"missing": [_("List the missing materials.")]},
            status=422,
        )
    with transaction.atomic():
        locked = _locked(application)
        if locked.status == S.CORRECTION:
            raise Conflict(
                _(
                    "The missing materials were already listed on %(on)s; the law allows one complete list "
                    "(行政许可法 Art.32). Accept or refuse the application once the materials arrive."
                )
                % {"on": locked.correction_on.isoformat() if locked.correction_on else ""},
                code="application_correction_once",
            )
        limit = next(iter(_open_deadlines(locked, CORRECTION)), None)
        if locked.status == S.RECEIVED and (limit is None or limit.due_date < today):
            raise Conflict(
                _(
                    "The 5 working days to list missing materials have "
                    "passed (行政许可法 Art.32): the application "
                    "counts as accepted on receipt. Accept it; what is missing "
                    "may be asked for during the examination."
                ),
                code="application_correction_late",
            )
        locked.missing_materials = "\n".join(items)
        locked.correction_on = today
        _move(locked, to=S.CORRECTION, actor=actor, act="application.correction", payload={"missing": items})
        _satisfy(locked, kind=CORRECTION, actor=actor, by_act="application.correction")
        _issue_document(locked, actor=actor, kind="licence_correction", on=today, missing=items)
    _sync(application, locked)
    return application


def _accept(locked: Application, *, actor: Any, today: datetime.date, deemed: bool) -> None:
    start = locked.received_on if deemed else today
    locked.accepted_on = start
    locked.deemed_accepted = deemed
    _move(
        locked,
        to=S.ACCEPTED,
        actor=actor,
        act="application.accept_deemed" if deemed else "application.accept",
        payload={"accepted_on": start.isoformat(), "deemed": deemed},
    )
    _satisfy(locked, kind=CORRECTION, actor=actor, by_act="application.accept")
    decision = _start_decision(locked, actor=actor, start=start, today=today)
    _issue_document(
        locked,
        actor=actor,
        kind="licence_acceptance",
        on=today,
        decision_due=decision.due_date,
        deemed=deemed,
    )


def application_accept(
    *, actor: Any, application: Application, today: datetime.date | None = None
) -> Application:
    """受理: a sealed, dated acceptance notice; the decision time limit starts (Arts.32, 42)."""
    policies.ensure(actor, "handle", application)
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _locked(application)
        if locked.status == S.RECEIVED:
            limit = next(iter(_open_deadlines(locked, CORRECTION)), None)
            deemed = limit is not None and limit.due_date < today
        else:
            deemed = False
        _accept(locked, actor=actor, today=today, deemed=deemed)
    _sync(application, locked)
    return application


def application_reject(
    *, actor: Any, application: Application, reason: str, today: datetime.date | None = None
) -> Application:
    """不予受理 with the reason and the remedies (Art.32 para.1 (1)(2))."""
    policies.ensure(actor, "handle", application)
    today = today or timezone.localdate()
    reason = clean_text(reason)
    if not reason:
        raise ValidationFailed(
            _("Give the reason the application is not accepted."),
            field_errors={"reason": [_("Give the reason.")]},
            status=422,
        )
    with transaction.atomic():
        locked = _locked(application)
        if locked.status == S.RECEIVED:
            limit = next(iter(_open_deadlines(locked, CORRECTION)), None)
            if limit is not None and limit.due_date < today:
                raise Conflict(
                    _(
                        "The application counts as accepted on receipt "
                        "(行政许可法 Art.32: no list of missing "
                        "materials within 5 working days); decide on it "
                        "instead: grant or refuse with reasons."
                    ),
                    code="application_deemed_accepted",
                )
        locked.decision_reason, locked.decided_on = reason, today
        _move(locked, to=S.REJECTED, actor=actor, act="application.reject", payload={"reason": reason})
        _satisfy(locked, kind=CORRECTION, actor=actor, by_act="application.reject")
        _issue_document(
            locked,
            actor=actor,
            kind="licence_rejection",
            on=today,
            reason=reason,
            **remedy_bodies(locked.agency),
        )
    _sync(application, locked)
    return application


def applications_deem_accepted(*, today: datetime.date | None = None) -> int:
    """Periodic, idempotent: applications still `received` after the 5-WD limit count as accepted on
    receipt (Art.32); the system records it and issues the acceptance notice."""
    today = today or timezone.localdate()
    late = Deadline.objects.filter(kind=CORRECTION, status__in=selectors.OPEN_DEADLINE, due_date__lt=today)
    ids = [int(i) for i in late.values_list("subject_id", flat=True)]
    n = 0
    for app in Application.objects.filter(pk__in=ids, status=S.RECEIVED):
        with transaction.atomic():
            locked = _locked(app)
            if locked.status != S.RECEIVED:
                continue
            _accept(locked, actor=None, today=today, deemed=True)
            n += 1
    return n


# --- the examination -------------------------------------------------------------------------------


def application_pause(
    *, actor: Any, application: Application, reason: str, on: datetime.date | None = None
) -> Application:
    """Hearing, test or expert review: excluded from the decision time limit (Art.45)."""
    policies.ensure(actor, "handle", application)
    on = on or timezone.localdate()
    reason = clean_text(reason, 200)
    if not reason:
        raise ValidationFailed(
            _("Say why the clock stops (hearing, expert review, test)."),
            field_errors={"reason": [_("Give the reason.")]},
            status=422,
        )
    with transaction.atomic():
        locked = _locked(application)
        _move(
            locked,
            to=S.PAUSED,
            actor=actor,
            act="application.pause",
            payload={"reason": reason, "on": on.isoformat()},
        )
        for deadline in _open_deadlines(locked, DECISION):
            deadline_pause(actor=actor, deadline=deadline, reason=reason, on=on)
    _sync(application, locked)
    return application


def application_resume(
    *, actor: Any, application: Application, on: datetime.date | None = None
) -> Application:
    policies.ensure(actor, "handle", application)
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = _locked(application)
        _move(locked, to=S.ACCEPTED, actor=actor, act="application.resume", payload={"on": on.isoformat()})
        for deadline in _open_deadlines(locked, DECISION):
            if deadline.status == Deadline.Status.PAUSED:
                deadline_resume(actor=actor, deadline=deadline, on=on)
    _sync(application, locked)
    return application


def application_extend(*, actor: Any, application: Application, reason: str) -> Application:
    """The head approves 10 more working days (joint handling: 15), once, with reasons (Art.42)."""
    policies.ensure(actor, "extend", application)
    reason = clean_text(reason)
    if not reason:
        raise ValidationFailed(
            _("Give the reasons for the extension: the applicant is told them (Art.42)."),
            field_errors={"reason": [_("Give the reasons.")]},
            status=422,
        )
    with transaction.atomic():
        locked = _locked(application)
        if locked.status != S.ACCEPTED:
            raise Conflict(
                _("Only an accepted application whose clock runs can be extended; this one is %(s)s.")
                % {"s": _label(locked.status)},
                code="application_extend_refused",
            )
        if locked.extended:
            raise Conflict(
                _("The time limit was already extended once; the law allows one extension (Art.42)."),
                code="application_extended_once",
            )
        current = next(iter(_open_deadlines(locked, DECISION)), None)
        if current is None:
            raise Conflict(
                _("This application has no running decision time limit."), code="application_no_deadline"
            )
        snap = calendar_snapshot()
        day = datetime.timedelta(days=1)
        paused = 0
        for pause in current.pauses.exclude(ended_on__isnull=True):
            assert pause.ended_on is not None
            paused += int(snap.workdays_between(pause.started_on - day, pause.ended_on - day).days)
        extra = selectors.setting(
            selectors.JOINT_EXTENSION_WORKDAYS if locked.joint else selectors.EXTENSION_WORKDAYS
        )
        deadline_cancel(actor=actor, deadline=current, reason="经本行政机关负责人批准延长")
        new = deadline_start(
            actor=actor,
            subject=locked,
            agency_id=locked.agency_id,
            kind=DECISION,
            title=f"{current.title}（经负责人批准延长）",
            legal_basis=BASIS_42,
            unit=Deadline.Unit.WORKDAYS,
            amount=current.amount + extra + paused,
            start_date=current.start_date,
            responsible=current.responsible,
            warn_days=current.warn_days,
        )
        locked.extended, locked.extension_reason = True, reason
        locked.save()
        ledger_append(
            actor=actor,
            act="application.extend",
            obj=locked,
            agency_id=locked.agency_id,
            payload={
                "reason": reason,
                "old_due": current.due_date.isoformat(),
                "new_due": new.due_date.isoformat(),
                "extra_workdays": extra,
            },
        )
    _sync(application, locked)
    return application


def _grant_terms(locked: Application, terms: dict[str, Any], today: datetime.date) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    scope = clean_text(terms.get("scope") or locked.project, 300)
    location = clean_text(terms.get("location") or locked.location, 255)
    conditions = clean_text(terms.get("conditions"), 2000)
    risk = terms.get("risk_level") or RiskLevel.MEDIUM
    valid_from = terms.get("valid_from") or today
    valid_until = terms.get("valid_until")
    return_date = terms.get("return_date")
    if not isinstance(valid_from, datetime.date):
        errors["valid_from"] = [_("Give the first day of validity.")]
    if not isinstance(valid_until, datetime.date):
        errors["valid_until"] = [_("Give the last day of validity.")]
    elif isinstance(valid_from, datetime.date) and valid_until <= max(valid_from, today):
        errors["valid_until"] = [
            _(
                "The licence would expire (%(until)s) before it is issued or "
                "valid (%(from)s); give a later expiry date."
            )
            % {"until": valid_until.isoformat(), "from": max(valid_from, today).isoformat()}
        ]
    if risk not in RiskLevel.values:
        errors["risk_level"] = [_("Choose a risk level.")]
    if locked.kind.temporary_land:
        if not isinstance(return_date, datetime.date):
            errors["return_date"] = [_("Give the date by which the temporary land is returned (restored).")]
        elif isinstance(valid_until, datetime.date) and return_date < valid_until:
            errors["return_date"] = [_("The land is returned on or after the end of the temporary use.")]
    else:
        return_date = None
    if errors:
        raise ValidationFailed(
            _("The licence was not granted: correct the fields marked."), field_errors=errors, status=422
        )
    return {
        "scope": scope,
        "location": location,
        "conditions": conditions,
        "risk_level": risk,
        "valid_from": valid_from.isoformat(),
        "valid_until": valid_until.isoformat(),  # type: ignore[union-attr]
        "return_date": return_date.isoformat() if return_date else None,
    }


def application_decide(
    *,
    actor: Any,
    application: Application,
    grant: bool,
    reason: str = "",
    terms: dict[str, Any] | None = None,
    today: datetime.date | None = None,
) -> Application:
    """准予 (with scope, validity, conditions; the licence is issued within 10 WD, Art.44) or 不予
    (with reasons and the routes of reconsideration and litigation, Art.38 para.2)."""
    policies.ensure(actor, "handle", application)
    today = today or timezone.localdate()
    reason = clean_text(reason)
    if not grant and not reason:
        raise ValidationFailed(
            _("A refusal states its reasons (行政许可法 Art.38 para.2)."),
            field_errors={"reason": [_("Give the reasons of the refusal.")]},
            status=422,
        )
    with transaction.atomic():
        locked = _locked(application)
        if locked.status != S.ACCEPTED:
            raise Conflict(
                _("Only an accepted application whose clock runs is decided; this one is %(s)s%(hint)s.")
                % {
                    "s": _label(locked.status),
                    "hint": _(" (resume it after the hearing or expert review)")
                    if locked.status == S.PAUSED
                    else "",
                },
                code="application_decide_refused",
            )
        locked.decided_on, locked.decision_reason = today, reason
        if grant:
            locked.grant_terms = _grant_terms(locked, terms or {}, today)
            _move(
                locked,
                to=S.GRANTED,
                actor=actor,
                act="application.grant",
                payload={"terms": locked.grant_terms},
            )
            issue = deadline_start(
                actor=actor,
                subject=locked,
                agency_id=locked.agency_id,
                kind=ISSUE,
                title="颁发许可证件期限",
                legal_basis=BASIS_44,
                unit=Deadline.Unit.WORKDAYS,
                amount=selectors.setting(selectors.ISSUE_WORKDAYS),
                start_date=today,
                responsible=locked.owner.user if locked.owner else None,
                today=today,
            )
            t = locked.grant_terms
            _issue_document(
                locked,
                actor=actor,
                kind="licence_grant",
                on=today,
                location=t["location"],
                valid_from=datetime.date.fromisoformat(t["valid_from"]),
                valid_until=datetime.date.fromisoformat(t["valid_until"]),
                conditions=t["conditions"],
                issue_due=issue.due_date,
            )
        else:
            _move(locked, to=S.REFUSED, actor=actor, act="application.refuse", payload={"reason": reason})
            _issue_document(
                locked,
                actor=actor,
                kind="licence_refusal",
                on=today,
                reason=reason,
                **remedy_bodies(locked.agency),
            )
        _satisfy(locked, kind=DECISION, actor=actor, by_act="application.decide")
    _sync(application, locked)
    return application
