"""Inquiries (咨询) with first-contact responsibility (首问负责) and a reply deadline (限时办结),
issue 8 §6, seed 000 四(三). The same shape as complaints: whoever takes an inquiry first owns it
until they hand it over to a named colleague (with the reason, logged); the reply is logged; the
reply deadline ([U] setting guidance.inquiry_reply_workdays, 5 WD) runs on the clock from receipt."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, ValidationFailed
from core.models import Deadline
from core.services.clock import deadline_reassign, deadline_satisfy, deadline_start
from core.services.ledger import ledger_append
from guidance import policies, selectors
from guidance.models import Inquiry, InquiryChannel, InquiryHandover, InquiryStatus
from guidance.services._common import clean, move
from org import selectors as org_selectors

I = InquiryStatus  # noqa: E741
TRANSITIONS: dict[str, frozenset[str]] = {
    I.RECEIVED: frozenset({I.OPEN}),
    I.OPEN: frozenset({I.REPLIED}),
    I.REPLIED: frozenset(),
}
BASIS = "[U] 咨询答复时限（首问负责、限时办结，seed 000 四(三)；配置项 guidance.inquiry_reply_workdays）"
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")
MAX_QUESTION = 3000


def _move(inquiry: Inquiry, *, to: str, actor: Any, act: str, payload: dict[str, Any] | None = None) -> None:
    move(
        inquiry,
        table=TRANSITIONS,
        labels=I,
        to=to,
        actor=actor,
        act=act,
        code="inquiry_transition_refused",
        payload=payload,
    )


def _locked(inquiry: Inquiry) -> Inquiry:
    return Inquiry.objects.select_for_update(of=("self",)).get(pk=inquiry.pk)


def _sync(inquiry: Inquiry, locked: Inquiry) -> None:
    for field in Inquiry._meta.concrete_fields:
        setattr(inquiry, field.attname, getattr(locked, field.attname))


def inquiry_receive(
    *,
    actor: Any,
    agency_id: Any,
    channel: str,
    asker_name: str,
    question: str,
    asker_phone: str = "",
    asker_email: str = "",
) -> Inquiry:
    """咨询登记: by phone or at the window the officer who answers is the first contact and owner at
    once; an online inquiry (actor None) waits for an officer to take it. The reply deadline starts."""
    errors: dict[str, list[str]] = {}
    agency = None
    try:
        pk = int(agency_id)
        if 0 < pk < 2**62:
            agency = org_selectors.visible_agencies(None).filter(active=True, pk=pk).first()
    except (TypeError, ValueError):
        pass
    if agency is None:
        errors["agency"] = [_("Choose the agency the question is for.")]
    if channel not in InquiryChannel.values or (actor is None) != (channel == InquiryChannel.ONLINE):
        errors["channel"] = [_("Choose how the question came in.")]
    name, phone, email, question = (
        clean(asker_name, 100),
        clean(asker_phone, 30),
        clean(asker_email, 254),
        clean(question, 10**6),
    )
    if not name:
        errors["asker_name"] = [_("Give the name of the person asking.")]
    if not question:
        errors["question"] = [_("Write the question.")]
    elif len(question) > MAX_QUESTION:
        errors["question"] = [_("The question may have at most %(max)d characters.") % {"max": MAX_QUESTION}]
    if phone and not PHONE_RE.match(phone):
        errors["asker_phone"] = [_("Enter a phone number of digits (a leading + and dashes allowed).")]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["asker_email"] = [_("Enter a valid e-mail address.")]
    if channel == InquiryChannel.ONLINE and not (phone or email):
        errors["asker_phone"] = [
            _("Give a phone number or an e-mail address so that the answer reaches you.")
        ]
    if errors:
        raise ValidationFailed(
            _("The question was not recorded: correct the fields marked."), field_errors=errors, status=422
        )
    assert agency is not None
    officer = None
    if actor is not None:
        policies.ensure(actor, "receive", Inquiry(agency=agency))
        officer = org_selectors.officer_for(actor)
    today = timezone.localdate()
    with transaction.atomic():
        inquiry = None
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    inquiry = Inquiry.objects.create(
                        agency=agency,
                        tracking_code="".join(
                            secrets.choice(selectors.CODE_ALPHABET) for _ in range(selectors.CODE_LENGTH)
                        ),
                        channel=channel,
                        asker_name=name,
                        asker_phone=phone,
                        asker_email=email,
                        question=question,
                        received_on=today,
                        first_contact=officer,
                        owner=officer,
                        status=I.OPEN if officer else I.RECEIVED,
                    )
                break
            except IntegrityError:
                continue
        if inquiry is None:
            raise Conflict(_("No tracking code could be issued; send the question again."))
        ledger_append(
            actor=actor,
            act="inquiry.receive",
            obj=inquiry,
            agency_id=agency.pk,
            payload={"channel": channel, "owner": officer.pk if officer else None, "status": inquiry.status},
        )
        deadline_start(
            actor=actor,
            subject=inquiry,
            agency_id=agency.pk,
            kind=selectors.INQUIRY_REPLY,
            title="咨询答复期限",
            legal_basis=BASIS,
            unit=Deadline.Unit.WORKDAYS,
            amount=selectors.legal_setting_int(*selectors.INQUIRY_REPLY_WORKDAYS),
            start_date=today,
            responsible=actor if getattr(actor, "pk", None) else None,
        )
    return inquiry


def inquiry_take(*, actor: Any, inquiry: Inquiry) -> Inquiry:
    """首问: the officer who takes an online inquiry first becomes responsible for it."""
    policies.ensure(actor, "take", inquiry)
    officer = org_selectors.officer_for(actor)
    if officer is None:
        raise ValidationFailed(_("Sign in with your officer account."), code="inquiry_officer_required")
    with transaction.atomic():
        locked = _locked(inquiry)
        locked.first_contact = locked.owner = officer
        _move(
            locked,
            to=I.OPEN,
            actor=actor,
            act="inquiry.take",
            payload={"owner": officer.pk, "owner_name": officer.name},
        )
        for deadline in selectors.deadlines_of(locked, kind=selectors.INQUIRY_REPLY, open_only=True):
            deadline_reassign(actor=actor, deadline=deadline, responsible=officer.user)
    _sync(inquiry, locked)
    return inquiry


def inquiry_handover(*, actor: Any, inquiry: Inquiry, officer_id: Any, reason: str) -> InquiryHandover:
    """移交: to a named colleague of the agency, with the reason; the colleague is responsible from now on."""
    policies.ensure(actor, "handover", inquiry)
    reason = clean(reason, 500)
    try:
        pk = int(officer_id)
    except (TypeError, ValueError):
        pk = 0
    colleague = (
        selectors.agency_officers(agency_id=inquiry.agency_id).filter(pk=pk if 0 < pk < 2**62 else 0).first()
    )
    errors: dict[str, list[str]] = {}
    if colleague is None:
        errors["officer"] = [_("Choose a named colleague of this agency.")]
    if not reason:
        errors["reason"] = [
            _("Say why the inquiry is handed over (e.g. it concerns another department's matter).")
        ]
    if errors:
        raise ValidationFailed(
            _("The inquiry was not handed over: correct the fields marked."), field_errors=errors, status=422
        )
    assert colleague is not None
    with transaction.atomic():
        locked = _locked(inquiry)
        if locked.status != I.OPEN:
            raise Conflict(
                _("Only an inquiry someone is responsible for and that is not answered yet is handed over."),
                code="inquiry_not_open",
            )
        if locked.owner_id == colleague.pk:
            raise ValidationFailed(
                _("%(name)s is already responsible for this inquiry.") % {"name": colleague.name},
                field_errors={"officer": [_("Choose another officer.")]},
                status=422,
            )
        record = InquiryHandover.objects.create(
            inquiry=locked,
            from_officer_id=locked.owner_id,
            to_officer=colleague,
            reason=reason,
            by=actor if getattr(actor, "pk", None) else None,
        )
        ledger_append(
            actor=actor,
            act="inquiry.handover",
            obj=locked,
            agency_id=locked.agency_id,
            payload={
                "from": locked.owner_id,
                "to": colleague.pk,
                "to_name": colleague.name,
                "reason": reason,
            },
        )
        locked.owner = colleague
        locked.save()
        for deadline in selectors.deadlines_of(locked, kind=selectors.INQUIRY_REPLY, open_only=True):
            # who hears of the alert; the due date does not move
            deadline_reassign(actor=actor, deadline=deadline, responsible=colleague.user)
    _sync(inquiry, locked)
    return record


def inquiry_reply(*, actor: Any, inquiry: Inquiry, text: str) -> Inquiry:
    """答复: logged; the reply deadline is met (late when after the due date)."""
    policies.ensure(actor, "reply", inquiry)
    text = clean(text)
    if not text:
        raise ValidationFailed(
            _("Write the answer."), field_errors={"text": [_("Write the answer.")]}, status=422
        )
    with transaction.atomic():
        locked = _locked(inquiry)
        locked.reply, locked.replied_at = text, timezone.now()
        _move(locked, to=I.REPLIED, actor=actor, act="inquiry.reply", payload={"length": len(text)})
        for deadline in selectors.deadlines_of(locked, kind=selectors.INQUIRY_REPLY, open_only=True):
            deadline_satisfy(actor=actor, deadline=deadline, by_act="inquiry.reply")
    _sync(inquiry, locked)
    return inquiry
