"""E-mail to the complainant when the complaint is accepted and when it is answered.

Sent after the transaction commits (`transaction.on_commit`), over the configured SMTP server
(`django.core.mail.mailers["default"]`). The answer is sent masked, as the tracking page shows it.
The outcome is recorded in the ledger: `complaint.mailed` or `complaint.mail_failed` (with the
error), so a failed message is visible and can be sent again by hand; the act itself stands.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from complaints import abuse
from complaints.models import Category, Complaint
from complaints.selectors import public_reply
from core.services.ledger import ledger_append

log = logging.getLogger(__name__)

KINDS = ("accept", "reply")


def schedule(complaint: Complaint, kind: str) -> None:
    """Inside the act's transaction: mail the complainant once it commits (if they gave an e-mail)."""
    if complaint.anonymous or not complaint.contact_email:
        return
    pk = complaint.pk
    transaction.on_commit(lambda: send(pk, kind))


def _track_url(code: str) -> str:
    base = getattr(settings, "ZHIFA_PUBLIC_BASE_URL", "") or ""
    return f"{base.rstrip('/')}{reverse('complaints_public:track')}?code={code}"


def compose(complaint: Complaint, kind: str) -> EmailMessage:
    code = abuse.display_code(complaint.tracking_code)
    what = "举报" if complaint.category == Category.VIOLATION else "投诉"
    agency = complaint.agency.name
    greeting = f"{complaint.contact_name}：" if complaint.contact_name else "您好："
    if kind == "accept":
        subject = f"您的{what}已受理（跟踪码 {code}）"
        when = (
            timezone.localtime(complaint.accepted_at).strftime("%Y年%m月%d日")
            if complaint.accepted_at
            else ""
        )
        body = [
            greeting,
            f"您于{complaint.received_on:%Y年%m月%d日}向{agency}提交的{what}已于{when}受理，"
            "由首问负责人员负责办理。",
        ]
    else:
        subject = f"您的{what}已答复（跟踪码 {code}）"
        body = [greeting, f"{agency}对您的{what}答复如下：", "", public_reply(complaint)]
    body += [
        "",
        f"凭跟踪码 {code} 可随时查询办理进度并对答复作出评价：{_track_url(complaint.tracking_code)}",
        "",
        agency,
        "（本邮件由系统自动发送，请勿直接回复。）",
    ]
    return EmailMessage(subject, "\n".join(body), settings.DEFAULT_FROM_EMAIL, [complaint.contact_email])


def send(complaint_id: int, kind: str) -> bool:
    """Send one message; record the outcome. Returns whether the server accepted it."""
    complaint = Complaint.objects.select_related("agency").get(pk=complaint_id)
    message = compose(complaint, kind)
    error = ""
    try:
        with mailers["default"] as mailer:
            sent = mailer.send_messages([message])
        ok = bool(sent)
    except Exception as exc:
        ok, error = False, f"{type(exc).__name__}: {exc}"[:300]
        log.warning("complaint %s: %s mail failed: %s", complaint_id, kind, error)
    payload: dict[str, Any] = {"kind": kind}
    if error:
        payload["error"] = error
    with transaction.atomic():
        ledger_append(
            actor=None,
            act="complaint.mailed" if ok else "complaint.mail_failed",
            obj=complaint,
            agency_id=complaint.agency_id,
            payload=payload,
        )
    return ok
