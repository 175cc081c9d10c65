"""Two-step verification (TOTP, django-otp): who needs it, enrolment, verification, enforcement.

Rule (Issue 3 §7, 等保 三员分立): the system, security and audit administrators — and superusers
and staff users, who reach the Django admin — always log in with a one-time code; with
`settings.ZHIFA_MFA_FOR_ALL` (on in production) every user does. A user who has a confirmed TOTP
device is always asked for a code, whether required or not.

Flow: the password step logs the user in (Django session) but leaves the session *unverified*;
`MFARequiredMiddleware` then lets such a session reach only the verification page (device present)
or the enrolment page (device required but missing), the logout and nothing else — officer pages,
the Django admin and session-authenticated API calls alike. A successful code marks the session
verified (`django_otp.login`). Enrolment, verification and failed codes are ledger acts.
"""

from __future__ import annotations

import io
from base64 import b32encode
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.errors import DomainError
from core.prepared import PreparedRead
from core.services.ledger import ledger_append
from org.roles import ADMIN_ROLES
from org.selectors import principal_with, roles_of

DEVICE_NAME = "TOTP"

STEP_VERIFY = "verify"
STEP_ENROL = "enrol"

# URL names an unverified session may still reach.
OPEN_URL_NAMES = ("org:login", "org:logout", "org:login_verify", "org:mfa_enrol")


# --- who must verify --------------------------------------------------------------------------


def mfa_required(user: Any) -> bool:
    """True when `user` must log in with a one-time code (administrators, superusers and staff;
    everyone if configured)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(settings, "ZHIFA_MFA_FOR_ALL", False):
        return True
    # A superuser (bootstrap) may do everything and a staff user reaches the Django admin: both are
    # at least as powerful as the 三员 and verify like them.
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return True
    return bool(roles_of(user=user) & ADMIN_ROLES)


def confirmed_device(user: Any) -> TOTPDevice | None:
    """The user's confirmed TOTP device, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    rows = principal_with(user, _CONFIRMED_DEVICE)  # with the roles, in one round trip
    return rows[0] if rows else None


_CONFIRMED_DEVICE: PreparedRead[TOTPDevice] = PreparedRead(  # every request (core.prepared)
    lambda user_id: TOTPDevice.objects.filter(user_id=user_id, confirmed=True).order_by("pk")[:1]
)


def pending_step(user: Any) -> str | None:
    """What an authenticated but unverified session must do next: verify, enrol, or nothing."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    is_verified = getattr(user, "is_verified", None)
    if callable(is_verified) and is_verified():
        return None
    if confirmed_device(user) is not None:
        return STEP_VERIFY
    if mfa_required(user):
        return STEP_ENROL
    return None


# --- enrolment and verification (services: each writes the ledger in its transaction) ---------


def totp_enrolment_start(*, actor: Any) -> TOTPDevice:
    """Begin enrolment: the actor's unconfirmed device, created once (a reload shows the same key)."""
    with transaction.atomic():
        if confirmed_device(actor) is not None:
            raise DomainError(
                _("Two-step verification is already set up for this account. To replace the "
                  "authenticator, ask the security administrator to reset it."),
                code="mfa_already_enrolled",
                status=409,
            )
        device = TOTPDevice.objects.filter(user_id=actor.pk, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=actor, name=DEVICE_NAME, confirmed=False)
            ledger_append(actor=actor, act="auth.mfa_enrol_started", obj=actor,
                          payload={"device": device.persistent_id})
        return device


def _check_code(device: TOTPDevice, token: str) -> bool:
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        raise DomainError(
            _("Too many wrong codes in a row: wait a minute, then enter the code your "
              "authenticator shows now."),
            code="mfa_throttled",
            status=429,
        )
    return bool(device.verify_token((token or "").strip().replace(" ", "")))


def totp_enrolment_confirm(*, actor: Any, device: TOTPDevice, token: str) -> TOTPDevice:
    """Finish enrolment: the first correct code confirms the device (等保: proof of possession)."""
    if device.user_id != actor.pk or device.confirmed:
        raise DomainError(_("This enrolment is not open for your account; start again."),
                          code="mfa_enrolment_invalid")
    ok = _check_code(device, token)
    with transaction.atomic():
        if not ok:
            ledger_append(actor=actor, act="auth.mfa_failed", obj=actor,
                          payload={"device": device.persistent_id, "step": "enrol"})
        else:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            ledger_append(actor=actor, act="auth.mfa_enrolled", obj=actor,
                          payload={"device": device.persistent_id})
    if not ok:
        raise DomainError(
            _("The code is wrong or has expired. Enter the 6-digit code your authenticator "
              "shows now (check that the phone's clock is correct)."),
            code="mfa_code_wrong",
        )
    return device


def totp_verify(*, actor: Any, token: str) -> TOTPDevice:
    """Second login step: a correct code from the actor's confirmed device verifies the session."""
    device = confirmed_device(actor)
    if device is None:
        raise DomainError(_("No authenticator is set up for this account; set one up first."),
                          code="mfa_not_enrolled")
    ok = _check_code(device, token)
    with transaction.atomic():
        ledger_append(actor=actor, act="auth.mfa_verified" if ok else "auth.mfa_failed", obj=actor,
                      payload={"device": device.persistent_id, "step": "login"})
    if not ok:
        raise DomainError(
            _("The code is wrong or has expired. Enter the 6-digit code your authenticator "
              "shows now (check that the phone's clock is correct)."),
            code="mfa_code_wrong",
        )
    return device


def totp_reset(*, actor: Any, user: Any, reason: str) -> int:
    """Remove `user`'s authenticator (lost or replaced phone); the next login enrols a new one.

    Only the security administrator of the user's agency may do it, never for their own account
    (等保2.0 三员分立), and with a reason; the removed devices are named in the ledger act. Returns
    how many devices were removed (0 is refused: there was nothing to reset).
    """
    from org.policies import ensure
    from org.selectors import officer_for

    officer = officer_for(user)
    ensure(actor, "reset_mfa", officer)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for resetting the authenticator (e.g. the phone was lost)."),
                          code="reason_required", field_errors={"reason": [_("This field is required.")]})
    with transaction.atomic():
        devices = list(TOTPDevice.objects.select_for_update().filter(user_id=user.pk).order_by("pk"))
        if not devices:
            raise DomainError(
                _("This account has no authenticator to reset; at the next login it will be asked "
                  "to set one up."),
                code="mfa_nothing_to_reset", status=409)
        ids = [d.persistent_id for d in devices]
        TOTPDevice.objects.filter(pk__in=[d.pk for d in devices]).delete()
        ledger_append(actor=actor, act="auth.mfa_reset", obj=user,
                      agency_id=officer.agency_id if officer else None,
                      payload={"devices": ids, "reason": reason})
    return len(devices)


def mark_verified(request: HttpRequest, device: TOTPDevice) -> None:
    """Record in the session that this login passed the second step (new session key)."""
    request.session.cycle_key()
    otp_login(request, device)


# --- what the enrolment page shows ------------------------------------------------------------


def secret_of(device: TOTPDevice) -> str:
    """The base32 secret, in groups of four for typing it into an authenticator by hand."""
    raw = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def otpauth_url(device: TOTPDevice) -> str:
    """The otpauth:// URL with the platform's name as issuer (what the QR code carries)."""
    issuer = str(getattr(settings, "OTP_TOTP_ISSUER", "zhifa")).replace(":", "")
    label = f"{issuer}:{device.user.get_username()}"
    params = urlencode({
        "secret": b32encode(device.bin_key).decode("ascii").rstrip("="),
        "issuer": issuer,
        "algorithm": "SHA1",
        "digits": device.digits,
        "period": device.step,
    })
    return f"otpauth://totp/{quote(label)}?{params}"


def qr_svg(data: str) -> str:
    """An inline SVG QR code (no image request, no inline style: CSP-safe)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    if svg.startswith("<?xml"):
        svg = svg[svg.index("?>") + 2:].lstrip()
    return svg


# --- enforcement ------------------------------------------------------------------------------


class MFARequiredMiddleware:
    """An unverified session reaches only the login, verification, enrolment and logout pages.

    Place after `django_otp.middleware.OTPMiddleware`. API calls (`/api/`) with such a session get
    a JSON 403 (`mfa_required`); htmx requests get an `HX-Redirect`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._is_open(request):
            step = pending_step(user)
            if step is not None:
                return self._refuse(request, step)
        return self.get_response(request)

    @staticmethod
    def _is_open(request: HttpRequest) -> bool:
        path = request.path_info
        static_url = str(getattr(settings, "STATIC_URL", "/static/") or "/static/")
        if path.startswith(static_url):
            return True
        return any(path == reverse(name) for name in OPEN_URL_NAMES)

    @staticmethod
    def _refuse(request: HttpRequest, step: str) -> HttpResponse:
        target = reverse("org:login_verify" if step == STEP_VERIFY else "org:mfa_enrol")
        if request.path_info.startswith("/api/"):
            message = (
                _("Two-step verification is required: enter the one-time code on the login page "
                  "first (%(url)s).")
                if step == STEP_VERIFY
                else _("Two-step verification is required for this account: set up an "
                       "authenticator first (%(url)s).")
            ) % {"url": target}
            return JsonResponse({"code": "mfa_required", "message": message}, status=403)
        if request.method == "GET":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)


def force_login_verified(client: Any, user: Any) -> TOTPDevice:
    """For tests of other apps: log `client` in as `user` with a verified second step.

    Creates a confirmed TOTP device when the user has none, then stores it in the session exactly
    as `django_otp.login` does after a correct code.
    """
    from django_otp import DEVICE_ID_SESSION_KEY

    device = confirmed_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
