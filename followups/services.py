"""Follow-up visits (事后回访): scheduling from closed cases and granted licences, the questionnaire
behind a signed link (and its printable PDF with a QR code), answers, calls and visits.

- `followups_run` (periodic, idempotent): creates one follow-up per (rule, subject) for the cases
  closed and the licences granted in the look-back window (unique constraint, conflicts ignored),
  opens those whose follow-up date has come, and turns those not answered in time into a call or
  visit for the officer. One summary ledger act per run.
- `answer_submit`: the party's answer through the signed link, without login — a forged or altered
  link is refused, and each follow-up takes one answer (a second, even concurrent, is refused).
- `questionnaire_for_case`: the printable 回访意见表 to deliver with a decision (for the cases app).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, NotFound, ValidationFailed
from core.services.ledger import ledger_append
from followups import policies
from followups.models import (
    Answer,
    AnsweredBy,
    Conduct,
    Followup,
    FollowupRule,
    Rectification,
    Satisfaction,
    Source,
    Status,
)

SALT = "followups.questionnaire"
LOOKBACK_DAYS = 60
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SCHEDULED: frozenset({Status.OPEN, Status.CALL, Status.ANSWERED}),
    Status.OPEN: frozenset({Status.CALL, Status.ANSWERED}),
    Status.CALL: frozenset({Status.ANSWERED, Status.UNREACHABLE}),
    Status.ANSWERED: frozenset(),
    Status.UNREACHABLE: frozenset({Status.ANSWERED}),  # the paper form came back after all
}


def _move(
    followup: Followup, *, to: str, actor: Any, act: str, payload: dict[str, Any] | None = None
) -> None:
    if to not in TRANSITIONS[followup.status]:
        raise Conflict(
            _("A follow-up that is %(from)s cannot become %(to)s.")
            % {"from": Status(followup.status).label, "to": Status(to).label},
            code="followup_transition_refused",
        )
    old = followup.status
    followup.status = to
    followup.save()
    ledger_append(
        actor=actor,
        act=act,
        obj=followup,
        agency_id=followup.agency_id,
        payload={"from": old, "to": to, **(payload or {})},
    )


# --- scheduling ----------------------------------------------------------------------------------


def _new(
    rule: FollowupRule, *, subject_type: str, subject_id: Any, event_on: dt.date, **fields: Any
) -> Followup:
    due = event_on + dt.timedelta(days=rule.days_after)
    return Followup(
        rule=rule,
        subject_type=subject_type,
        subject_id=str(subject_id),
        event_on=event_on,
        due_on=due,
        answer_by=due + dt.timedelta(days=rule.answer_days),
        nonce=secrets.token_hex(8),
        **fields,
    )


def _case_rows(start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    from cases.selectors import cases_closed_between

    return cases_closed_between(start=start, end=end)


def _licence_rows(start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    try:
        from service.selectors import licences_granted_since
    except ImportError:  # the service app not there yet: nothing to schedule
        return []
    rows = (
        licences_granted_since(start)
        .filter(issued_on__lte=end)
        .values(
            "pk",
            "agency_id",
            "issued_on",
            "number",
            "kind__name",
            "holder_name",
            "holder_phone",
            "holder_address",
        )
    )
    return [dict(row) for row in rows]


def followups_schedule(*, today: dt.date) -> int:
    """Create the follow-ups of the cases closed and licences granted in the look-back window."""
    start = today - dt.timedelta(days=LOOKBACK_DAYS)
    rules = {r.source: r for r in FollowupRule.objects.filter(active=True)}
    new: list[Followup] = []
    if Source.CASE_CLOSED in rules:
        rule = rules[Source.CASE_CLOSED]
        for row in _case_rows(start, today):
            new.append(
                _new(
                    rule,
                    subject_type="cases.case",
                    subject_id=row["case_id"],
                    event_on=row["closed_on"],
                    agency_id=row["agency_id"],
                    reference=row["number"][:120],
                    title=row["title"][:200],
                    party_name=row["party_name"][:200],
                    party_phone=row["party_phone"][:50],
                    party_address=row["party_address"][:255],
                    officer_id=row["officer_user_id"],
                )
            )
    if Source.LICENCE_GRANTED in rules:
        rule = rules[Source.LICENCE_GRANTED]
        for row in _licence_rows(start, today):
            new.append(
                _new(
                    rule,
                    subject_type="service.licence",
                    subject_id=row["pk"],
                    event_on=row["issued_on"],
                    agency_id=row["agency_id"],
                    reference=row["number"][:120],
                    title=str(row["kind__name"])[:200],
                    party_name=row["holder_name"][:200],
                    party_phone=row["holder_phone"][:50],
                    party_address=row["holder_address"][:255],
                )
            )
    before = Followup.objects.count()
    Followup.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return Followup.objects.count() - before


def followups_run(*, today: dt.date | None = None) -> dict[str, Any]:
    """The periodic job: schedule, open what is due, hand what did not come back to the officer."""
    today = today or timezone.localdate()
    with transaction.atomic():
        created = followups_schedule(today=today)
        opened = Followup.objects.filter(status=Status.SCHEDULED, due_on__lte=today).update(
            status=Status.OPEN
        )
        to_call = Followup.objects.filter(
            status__in=[Status.SCHEDULED, Status.OPEN], answer_by__lt=today
        ).update(status=Status.CALL)
        result = {"today": today.isoformat(), "created": created, "opened": opened, "to_call": to_call}
        ledger_append(actor=None, act="followup.run", payload=result)
    return result


def followup_for_decision(*, actor: Any, case_id: int) -> Followup:
    """The follow-up of a case whose decision is being delivered (created now if the job has not
    yet): its questionnaire goes out with the decision. Idempotent."""
    from cases.selectors import case_get, case_party_contact

    case = case_get(case_id=case_id, actor=actor)
    rule = FollowupRule.objects.filter(source=Source.CASE_CLOSED).first()
    if rule is None:
        raise NotFound(_("No follow-up rule for closed cases exists."), code="followup_rule_missing")
    existing = Followup.objects.filter(rule=rule, subject_type="cases.case", subject_id=str(case.pk)).first()
    if existing is not None:
        return existing
    contact = case_party_contact(case.pk)
    with transaction.atomic():
        followup = _new(
            rule,
            subject_type="cases.case",
            subject_id=case.pk,
            event_on=timezone.localdate(),
            agency_id=case.agency_id,
            reference=str(contact.get("number", ""))[:120],
            title=(case.title or "")[:200],
            party_name=str(contact.get("name", ""))[:200],
            party_phone=str(contact.get("phone", ""))[:50],
            party_address=str(contact.get("address", ""))[:255],
            officer=actor if getattr(actor, "is_authenticated", False) else None,
            printed_with_decision=True,
        )
        try:
            with transaction.atomic():
                followup.save()
        except IntegrityError:
            return Followup.objects.get(rule=rule, subject_type="cases.case", subject_id=str(case.pk))
        ledger_append(
            actor=actor,
            act="followup.created",
            obj=followup,
            agency_id=followup.agency_id,
            payload={"case": case.pk, "due_on": followup.due_on.isoformat()},
        )
    return followup


def followup_enclose_with_decision(*, actor: Any, case_id: int) -> str:
    """The 回访意见表 handed to the party with the decision of `case_id` (seed 000 事后回访): the
    follow-up is created if needed and noted as delivered with the decision (ledger act
    `followup.printed`, once). Returns the line the 送达回证 carries, or "" when no active rule asks
    for follow-ups of closed cases."""
    rule = FollowupRule.objects.filter(source=Source.CASE_CLOSED, active=True).first()
    if rule is None:
        return ""
    printed = (
        Followup.objects.filter(rule=rule, subject_type="cases.case", subject_id=str(case_id))
        .values_list("printed_with_decision", flat=True)
        .first()
    )
    followup = followup_for_decision(actor=actor, case_id=case_id)
    if printed is not True:  # created just now, or scheduled earlier and not yet handed out
        Followup.objects.filter(pk=followup.pk).update(printed_with_decision=True)
        ledger_append(
            actor=actor,
            act="followup.printed",
            obj=followup,
            agency_id=followup.agency_id,
            payload={"case": case_id},
        )
    # the text of an official document: Chinese whatever the officer's language
    return f"行政执法回访意见表（第{followup.pk}号，扫描表上二维码即可作答）"


# --- the questionnaire ---------------------------------------------------------------------------


def questionnaire_token(followup: Followup) -> str:
    return signing.dumps({"f": followup.pk, "n": followup.nonce}, salt=SALT)


def questionnaire_url(followup: Followup) -> str:
    base = str(getattr(settings, "ZHIFA_PUBLIC_BASE_URL", "") or "").rstrip("/")
    return base + reverse("followups_public:questionnaire", args=[questionnaire_token(followup)])


def followup_by_token(token: str) -> Followup:
    """The follow-up a signed link names; refused when the signature or the nonce is wrong."""
    try:
        data = signing.loads(token, salt=SALT)
        followup = Followup.objects.filter(pk=int(data["f"])).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise ValidationFailed(
            _(
                "This questionnaire link is not valid: it may have been copied incompletely or altered. "
                "Scan the QR code on the questionnaire again, or call the agency."
            ),
            code="followup_link_invalid",
            status=400,
        ) from exc
    if followup is None or followup.nonce != data.get("n"):
        raise ValidationFailed(
            _(
                "This questionnaire link is not valid: it may have been copied incompletely or altered. "
                "Scan the QR code on the questionnaire again, or call the agency."
            ),
            code="followup_link_invalid",
            status=400,
        )
    return followup


def _check_answer(satisfaction: str, rectification: str, conduct: str, conduct_opinion: str) -> None:
    errors: dict[str, list[str]] = {}
    if satisfaction not in Satisfaction.values:
        errors["satisfaction"] = [_("Choose how satisfied you are.")]
    if rectification not in Rectification.values:
        errors["rectification"] = [_("Choose the state of the rectification.")]
    if conduct not in Conduct.values:
        errors["conduct"] = [_("Choose how the officers behaved.")]
    elif conduct != Conduct.PROPER and not (conduct_opinion or "").strip():
        errors["conduct_opinion"] = [
            _("Say what was wrong in the officers' conduct, so that it can be looked into.")
        ]
    if errors:
        raise ValidationFailed(
            _("The questionnaire was not sent: answer the questions marked."), field_errors=errors
        )


def _save_answer(followup: Followup, *, actor: Any, answered_by: str, **answers: str) -> Answer:
    followup = Followup.objects.select_for_update().get(pk=followup.pk)
    if Answer.objects.filter(followup=followup).exists():
        raise Conflict(
            _("This questionnaire has already been answered; each takes one answer. Thank you."),
            code="followup_already_answered",
        )
    try:
        with transaction.atomic():
            answer = Answer.objects.create(
                followup=followup,
                answered_by=answered_by,
                recorded_by=actor if actor is not None else None,
                **answers,
            )
    except IntegrityError as exc:  # a concurrent answer won (SQLite has no row lock)
        raise Conflict(
            _("This questionnaire has already been answered; each takes one answer. Thank you."),
            code="followup_already_answered",
        ) from exc
    _move(
        followup,
        to=Status.ANSWERED,
        actor=actor,
        act="followup.answered",
        payload={
            "answered_by": answered_by,
            **{k: v for k, v in answers.items() if k in ("satisfaction", "rectification", "conduct")},
        },
    )
    return answer


def answer_submit(
    *,
    token: str,
    satisfaction: str,
    rectification: str,
    conduct: str,
    conduct_opinion: str = "",
    opinion: str = "",
) -> Answer:
    """The party answers through the signed link (no login)."""
    followup = followup_by_token(token)
    _check_answer(satisfaction, rectification, conduct, conduct_opinion)
    with transaction.atomic():
        return _save_answer(
            followup,
            actor=None,
            answered_by=AnsweredBy.ONLINE,
            satisfaction=satisfaction,
            rectification=rectification,
            conduct=conduct,
            conduct_opinion=(conduct_opinion or "").strip()[:5000],
            opinion=(opinion or "").strip()[:5000],
        )


def answer_record(
    *,
    actor: Any,
    followup: Followup,
    answered_by: str,
    satisfaction: str,
    rectification: str,
    conduct: str,
    conduct_opinion: str = "",
    opinion: str = "",
) -> Answer:
    """The officer records the answers given on a call or visit, or on a paper form returned."""
    policies.ensure(actor, "handle", followup)
    if answered_by not in (AnsweredBy.PHONE, AnsweredBy.VISIT, AnsweredBy.PAPER):
        raise ValidationFailed(
            _("Say how the answers were obtained: phone, visit or paper form."),
            field_errors={"answered_by": [_("Choose phone, visit or paper form.")]},
        )
    _check_answer(satisfaction, rectification, conduct, conduct_opinion)
    with transaction.atomic():
        return _save_answer(
            followup,
            actor=actor,
            answered_by=answered_by,
            satisfaction=satisfaction,
            rectification=rectification,
            conduct=conduct,
            conduct_opinion=(conduct_opinion or "").strip()[:5000],
            opinion=(opinion or "").strip()[:5000],
        )


def mark_unreachable(*, actor: Any, followup: Followup, note: str) -> Followup:
    """The officer called or visited and could not reach the party."""
    policies.ensure(actor, "handle", followup)
    if not (note or "").strip():
        raise ValidationFailed(
            _("Say what was tried (calls, visit) and why the party was not reached."),
            field_errors={"note": [_("Say what was tried.")]},
        )
    with transaction.atomic():
        followup = Followup.objects.select_for_update().get(pk=followup.pk)
        followup.note = note.strip()[:5000]
        _move(
            followup,
            to=Status.UNREACHABLE,
            actor=actor,
            act="followup.unreachable",
            payload={"note": followup.note},
        )
    return followup


def _qr_data_uri(text: str) -> str:
    import qrcode
    from qrcode.image.pil import PilImage

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=2)
    qr.add_data(text)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(image_factory=PilImage).save(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def questionnaire_pdf(*, followup: Followup) -> bytes:
    """The printable 回访意见表 with the QR code of its signed link (WeasyPrint)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    from org.selectors import agency_label

    url = questionnaire_url(followup)
    html = render_to_string(
        "followups/questionnaire_pdf.html",
        {
            "f": followup,
            "url": url,
            "qr": _qr_data_uri(url),
            "agency": agency_label(followup.agency_id)["name"],
            "satisfaction": Satisfaction.choices,
            "rectification": Rectification.choices,
            "conduct": Conduct.choices,
        },
    )
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)
    return bytes(HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf() or b"")


def questionnaire_for_case(*, actor: Any, case_id: int) -> bytes:
    """For the cases app: the questionnaire PDF to deliver with the decision of `case_id` (its
    follow-up is created if needed and noted as delivered with the decision)."""
    followup = followup_for_decision(actor=actor, case_id=case_id)
    if not followup.printed_with_decision:
        with transaction.atomic():
            Followup.objects.filter(pk=followup.pk).update(printed_with_decision=True)
            ledger_append(
                actor=actor,
                act="followup.printed",
                obj=followup,
                agency_id=followup.agency_id,
                payload={"case": case_id},
            )
    return questionnaire_pdf(followup=followup)


# --- rules ---------------------------------------------------------------------------------------


def rule_update(
    *,
    actor: Any,
    rule: FollowupRule,
    version: int,
    days_after: int,
    answer_days: int,
    by_whom: str,
    method: str,
    active: bool,
) -> FollowupRule:
    policies.ensure(actor, "manage_rules")
    errors: dict[str, list[str]] = {}
    if not 0 <= int(days_after) <= 730:
        errors["days_after"] = [_("Between 0 and 730 days.")]
    if not 1 <= int(answer_days) <= 365:
        errors["answer_days"] = [_("Between 1 and 365 days.")]
    if not (by_whom or "").strip():
        errors["by_whom"] = [_("Say who follows up.")]
    if errors:
        raise ValidationFailed(
            _("The follow-up rule was not saved: correct the fields listed."), field_errors=errors
        )
    with transaction.atomic():
        rule = FollowupRule.objects.select_for_update().get(pk=rule.pk)
        if rule.version != version:
            raise Conflict(
                _(
                    "Someone else changed this rule while you were editing it; reload it and apply your "
                    "change again."
                ),
                code="followup_rule_changed",
            )
        fields = ("days_after", "answer_days", "by_whom", "method", "active")
        old = {f: getattr(rule, f) for f in fields}
        new = {
            "days_after": int(days_after),
            "answer_days": int(answer_days),
            "by_whom": by_whom.strip()[:120],
            "method": (method or "").strip()[:200],
            "active": bool(active),
        }
        if old != new:
            for f, v in new.items():
                setattr(rule, f, v)
            rule.version += 1
            rule.save()
            ledger_append(
                actor=actor,
                act="followup.rule_changed",
                obj=rule,
                payload={"code": rule.code, "old": old, "new": new, "version": rule.version},
            )
    return rule
