"""Login (password, then one-time code), two-step enrolment, logout, password change.

Thin views: forms validate, `org.mfa` and `core.passwords` do the writes and the ledger acts.
Failed logins are recorded by core.signals (Django's `user_login_failed`), lockouts by the axes
signal there too; django-axes (AxesStandaloneBackend + AxesMiddleware) refuses locked pairs of
username and IP address before the password is even checked.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.passwords import password_change
from org import mfa
from org.models import User


class LoginForm(AuthenticationForm):
    """Username and password. One message for every failure: no hint whether the user exists."""

    error_messages = {
        "invalid_login": gettext_lazy(
            "The username or password is not correct (both are case-sensitive). After repeated "
            "failures the login is locked for a while; if you have forgotten your password, ask "
            "the security administrator of your agency to reset it."
        ),
        "inactive": gettext_lazy(
            "The username or password is not correct (both are case-sensitive). After repeated "
            "failures the login is locked for a while; if you have forgotten your password, ask "
            "the security administrator of your agency to reset it."
        ),
    }


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("One-time code"),
        max_length=10,
        min_length=6,
        help_text=gettext_lazy("The 6-digit code your authenticator app shows now."),
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*",
            "class": "otp-input", "autofocus": True,
        }),
    )


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{resolve_url(url_name)}?{urlencode({'next': next_url})}"


def _after_password(request: HttpRequest, next_url: str) -> HttpResponse:
    step = mfa.pending_step(request.user)
    if step == mfa.STEP_VERIFY:
        return redirect(_with_next("org:login_verify", next_url))
    if step == mfa.STEP_ENROL:
        return redirect(_with_next("org:mfa_enrol", next_url))
    return redirect(next_url)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """First step: username and password (axes counts failures per username and IP address)."""
    next_url = _next_url(request)
    if request.user.is_authenticated:
        return _after_password(request, next_url)
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.get_user())
        return _after_password(request, next_url)
    return render(request, "org/auth/login.html", {"form": form, "next": next_url})


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify_view(request: HttpRequest) -> HttpResponse:
    """Second step: a one-time code from the confirmed authenticator."""
    next_url = _next_url(request)
    step = mfa.pending_step(request.user)
    if step != mfa.STEP_VERIFY:
        return _after_password(request, next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = mfa.totp_verify(actor=request.user, token=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            mfa.mark_verified(request, device)
            return redirect(next_url)
    return render(request, "org/auth/verify.html", {"form": form, "next": next_url})


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol_view(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: scan the QR code (or type the secret), confirm with one code."""
    next_url = _next_url(request)
    if mfa.pending_step(request.user) == mfa.STEP_VERIFY:
        # A device exists: it must be used, never bypassed by enrolling another one.
        return redirect(_with_next("org:login_verify", next_url))
    if mfa.confirmed_device(request.user) is not None:
        return render(request, "org/auth/enrol_done.html", {"required": mfa.mfa_required(request.user)})
    device = mfa.totp_enrolment_start(actor=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = mfa.totp_enrolment_confirm(actor=request.user, device=device,
                                                token=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            mfa.mark_verified(request, device)
            messages.success(request, _("Two-step verification is now on for your account."))
            return redirect(next_url)
    context: dict[str, Any] = {
        "form": form,
        "next": next_url,
        "qr_svg": mfa.qr_svg(mfa.otpauth_url(device)),
        "secret": mfa.secret_of(device),
        "required": mfa.mfa_required(request.user),
    }
    return render(request, "org/auth/enrol.html", context)


class LogoutView(auth_views.LogoutView):
    """Logout by POST only (Django refuses GET); the act is recorded by core.signals."""

    http_method_names = ["post", "options"]


logout_view = LogoutView.as_view()


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@csrf_protect
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    """Change one's own password; the validators in settings decide what is strong enough."""
    assert isinstance(request.user, User)  # @login_required
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = password_change(actor=request.user, user=request.user,
                                   new_password=form.cleaned_data["new_password1"])
        except DomainError as exc:
            for message in exc.field_errors.get("new_password1", [exc.message]):
                form.add_error("new_password1", message)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password has been changed."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "org/auth/password_change.html", {"form": form})
