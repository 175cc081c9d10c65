"""Who is calling: bearer tokens for integrations, the Django session (with CSRF) for the UI.

The token endpoint checks credentials through Django's `authenticate`, so django-axes counts every
failure and locks the username+IP pair exactly as the web login does; a wrong OTP counts as a
failure too. Unknown user and wrong password get the same answer (no user enumeration).
"""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from api import selectors, services
from api.errors import ApiError, NotAuthenticated
from core.errors import DomainError
from org import mfa as org_mfa


def mfa_required(user: Any) -> bool:
    """Whether `user` must present a TOTP code (org.mfa decides: administrators; everyone if configured)."""
    return org_mfa.mfa_required(user)


def _ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _locked_out(request: HttpRequest) -> ApiError:
    # axes' middleware would replace our answer with the HTML lockout page; we answer in JSON.
    request.axes_locked_out = False  # type: ignore[attr-defined]
    return ApiError(
        429,
        "locked_out",
        _(
            "Too many failed attempts: this login is locked for 30 minutes (lockout after repeated "
            "failures, 等保 login security). Wait, or ask the security administrator to unlock it."
        ),
    )


def _invalid_credentials() -> ApiError:
    return ApiError(
        401,
        "invalid_credentials",
        _("The username or password is incorrect (or the account is disabled). Check them and try again."),
    )


def obtain_token(
    request: HttpRequest,
    *,
    username: str,
    password: str,
    otp: str | None,
    name: str,
    expires_in_days: int,
) -> tuple[Any, str]:
    """Check username, password and, where required, OTP; then issue a token (services.token_issue)."""
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise _locked_out(request)
    if user is None:
        raise _invalid_credentials()
    device = org_mfa.confirmed_device(user)
    if device is None and mfa_required(user):
        raise ApiError(
            403,
            "mfa_not_enrolled",
            _(
                "Two-factor authentication is required for this account but no authenticator is "
                "set up. Sign in to the web interface once to set up TOTP, then request a token."
            ),
        )
    if device is not None:
        if not otp:
            raise ApiError(
                401,
                "otp_required",
                _("This account uses two-factor authentication: send the 6-digit code from your "
                  "authenticator app in the field 'otp'."),
                field_errors={"otp": [_("This field is required.")]},
            )
        try:
            org_mfa.totp_verify(actor=user, token=otp)  # records auth.mfa_verified / auth.mfa_failed
        except DomainError as exc:
            if exc.code != "mfa_code_wrong":
                raise
            # A wrong code counts towards the lockout like a wrong password.
            AxesProxyHandler.user_login_failed(
                sender=__name__, credentials={"username": username}, request=request
            )
            if getattr(request, "axes_locked_out", False):
                raise _locked_out(request) from None
            raise ApiError(
                401,
                "otp_invalid",
                _("The two-factor code is wrong or has expired; enter the current code from your "
                  "authenticator app."),
                field_errors={"otp": [_("The code is not valid.")]},
            ) from None
    AxesProxyHandler.reset_attempts(ip_address=_ip(request), username=username)
    return services.token_issue(actor=user, name=name, expires_in_days=expires_in_days, ip=_ip(request))


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` for integrations."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = selectors.token_by_key(token.strip())
        if row is None:
            raise NotAuthenticated(
                "token_invalid",
                _("The bearer token is not valid; obtain a new one at /api/v1/auth/token."),
            )
        if row.revoked is not None:
            raise NotAuthenticated(
                "token_revoked",
                _("The bearer token has been revoked; obtain a new one at /api/v1/auth/token."),
            )
        if row.expires <= timezone.now():
            raise NotAuthenticated(
                "token_expired",
                _("The bearer token has expired; obtain a new one at /api/v1/auth/token."),
            )
        if not row.user.is_active:
            raise NotAuthenticated(
                "account_disabled",
                _("The account this token belongs to is disabled; ask the system administrator."),
            )
        services.token_touch(token=row)
        request.api_token = row  # type: ignore[attr-defined]
        request.user = row.user
        return row.user


class SessionAuthentication(APIKeyCookie):
    """The web interface's Django session; unsafe methods need the CSRF token, as everywhere."""

    param_name = "sessionid"

    def __init__(self) -> None:
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise ApiError(
                403,
                "csrf_failed",
                _("The CSRF check failed; reload the page and try again (send the X-CSRFToken header)."),
            )
        return request.COOKIES.get(self.param_name) or "session"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if key is None or not user.is_authenticated:
            return None
        if mfa_required(user) and not getattr(user, "is_verified", lambda: False)():
            raise NotAuthenticated(
                "mfa_unverified",
                _("This session has not passed two-factor authentication; sign in again with your code."),
            )
        return user


def caller(request: HttpRequest) -> Any:
    """The authenticated user of an API request."""
    return getattr(request, "auth", None) or request.user
