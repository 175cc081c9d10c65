"""Login, lockout, two-step verification and logout, through real HTTP requests."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import LedgerEntry
from org import mfa
from org.roles import Role
from org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Zhifa-test-2026!"
LOGIN = "/org/login/"


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now, computed from the device's key."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def login(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def normalised(html: str, username: str) -> str:
    """The page without what legitimately differs per request: tokens, nonces, the typed name."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "CSRF", html)
    html = re.sub(r'nonce="[^"]+"', "NONCE", html)
    return html.replace(username, "USERNAME")


@pytest.fixture
def officer():
    return OfficerFactory(roles=[Role.OFFICER]).user


@pytest.fixture
def system_admin():
    return OfficerFactory(roles=[Role.SYSTEM_ADMIN]).user


def test_login_page_is_chinese_and_served_at_org_login(client):
    response = client.get(reverse("org:login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="zh-Hans"' in body
    assert "行政执法综合管理监督平台" in body
    assert "登录" in body


def test_given_officer_without_mfa_requirement_when_password_correct_then_home_directly(client, officer):
    response = login(client, officer.username)
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    assert LedgerEntry.objects.filter(act="auth.login", actor_id=officer.pk).count() == 1


def test_given_login_when_next_is_foreign_then_it_is_ignored(client, officer):
    response = client.post(f"{LOGIN}?next=https://evil.example/", {"username": officer.username,
                                                                   "password": PASSWORD})
    assert response["Location"] == reverse("core:home")


def test_wrong_password_and_unknown_user_give_the_same_response(client, officer):
    wrong = login(client, officer.username, "Not-the-password-1")
    unknown = login(client, "nobody-here", "Not-the-password-1")
    assert wrong.status_code == unknown.status_code == 200
    assert normalised(wrong.content.decode(), officer.username) == normalised(
        unknown.content.decode(), "nobody-here"
    )
    assert "用户名或密码不正确" in wrong.content.decode()
    failed = LedgerEntry.objects.filter(act="auth.login_failed").order_by("seq")
    assert [e.payload for e in failed] == [
        f'{{"ip":"127.0.0.1","username":"{officer.username}"}}',
        '{"ip":"127.0.0.1","username":"nobody-here"}',
    ]
    assert '"_auth_user_id"' not in str(client.session.items())


def test_inactive_user_gets_the_same_response_as_a_wrong_password(client, officer):
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    inactive = login(client, officer.username)
    wrong = login(client, "nobody-here", "Not-the-password-1")
    assert normalised(inactive.content.decode(), officer.username) == normalised(
        wrong.content.decode(), "nobody-here"
    )


def test_given_n_failures_then_locked_even_with_the_right_password_and_recorded(client, officer, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert login(client, officer.username, "Wrong-password-1").status_code == 200
    locked = login(client, officer.username, "Wrong-password-1")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "登录已锁定" in body and "zhifa axes_reset_username" in body and "安全管理员" in body
    # The right password no longer helps while the lockout lasts.
    again = login(client, officer.username, PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    lockouts = LedgerEntry.objects.filter(act="auth.lockout")
    assert lockouts.count() == 1
    assert f'"username":"{officer.username}"' in lockouts.get().payload


def test_lockout_applies_to_unknown_usernames_with_the_same_page(client, officer, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit):
        unknown = login(client, "nobody-here", "Wrong-password-1")
        known = login(client, officer.username, "Wrong-password-1")
    assert unknown.status_code == known.status_code == 429
    assert normalised(unknown.content.decode(), "nobody-here") == normalised(
        known.content.decode(), officer.username
    )
    assert LedgerEntry.objects.filter(act="auth.lockout").count() == 2


def test_lockout_is_per_username_and_address(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, officer.username, "Wrong-password-1")
    other_address = Client()
    response = login(other_address, officer.username, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302


def test_given_admin_without_device_when_logged_in_then_forced_to_enrol(client, system_admin):
    response = login(client, system_admin.username)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("org:mfa_enrol"))
    # Nothing else is reachable until enrolled: pages redirect, the API answers 403 in JSON.
    home = client.get(reverse("core:home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("org:mfa_enrol"))
    api = client.get("/api/v1/openapi.json")
    assert api.status_code == 403 and api.json()["code"] == "mfa_required"
    admin = client.get("/django-admin/")
    assert admin.status_code == 302 and admin["Location"].startswith(reverse("org:mfa_enrol"))


def test_enrolment_shows_qr_and_secret_and_a_real_code_confirms_it(client, system_admin):
    login(client, system_admin.username)
    page = client.get(reverse("org:mfa_enrol"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and "设置两步验证" in body
    device = TOTPDevice.objects.get(user=system_admin)
    assert not device.confirmed
    assert mfa.secret_of(device).replace(" ", "") in body.replace(" ", "")
    # A reload shows the same key: no second device.
    client.get(reverse("org:mfa_enrol"))
    assert TOTPDevice.objects.filter(user=system_admin).count() == 1

    wrong = client.post(reverse("org:mfa_enrol"), {"code": "000000" if current_code(device) != "000000"
                                                   else "111111"})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    device.throttle_reset()
    done = client.post(reverse("org:mfa_enrol"), {"code": current_code(device), "next": "/"})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:home")).status_code == 200
    acts = list(LedgerEntry.objects.filter(actor_id=system_admin.pk).values_list("act", flat=True))
    assert acts == ["auth.login", "auth.mfa_enrol_started", "auth.mfa_failed", "auth.mfa_enrolled"]


def test_given_device_when_code_correct_then_verified_and_recorded(client, system_admin):
    device = TOTPDevice.objects.create(user=system_admin, name="TOTP", confirmed=True)
    response = login(client, system_admin.username)
    assert response["Location"].startswith(reverse("org:login_verify"))
    assert client.get(reverse("core:home")).status_code == 302
    # Enrolling a second device instead of verifying is not possible.
    enrol = client.get(reverse("org:mfa_enrol"))
    assert enrol.status_code == 302 and enrol["Location"].startswith(reverse("org:login_verify"))

    bad = client.post(reverse("org:login_verify"), {"code": "12345x"})
    assert bad.status_code == 200
    device.throttle_reset()
    good = client.post(reverse("org:login_verify"), {"code": current_code(device)})
    assert good.status_code == 302 and good["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200
    assert LedgerEntry.objects.filter(act="auth.mfa_verified", actor_id=system_admin.pk).count() == 1
    assert LedgerEntry.objects.filter(act="auth.mfa_failed", actor_id=system_admin.pk).count() == 1


def test_a_used_code_cannot_be_replayed(client, system_admin):
    device = TOTPDevice.objects.create(user=system_admin, name="TOTP", confirmed=True)
    code = current_code(device)
    login(client, system_admin.username)
    assert client.post(reverse("org:login_verify"), {"code": code}).status_code == 302
    other = Client()
    login(other, system_admin.username)
    replay = other.post(reverse("org:login_verify"), {"code": code})
    assert replay.status_code == 200
    assert other.get(reverse("core:home")).status_code == 302


def test_given_officer_with_own_device_then_code_is_asked_although_not_required(client, officer):
    TOTPDevice.objects.create(user=officer, name="TOTP", confirmed=True)
    response = login(client, officer.username)
    assert response["Location"].startswith(reverse("org:login_verify"))


def test_mfa_for_all_forces_every_officer_to_enrol(client, officer, settings):
    settings.ZHIFA_MFA_FOR_ALL = True
    response = login(client, officer.username)
    assert response["Location"].startswith(reverse("org:mfa_enrol"))
    assert client.get(reverse("core:home")).status_code == 302


def test_mfa_setting_is_on_in_production_settings_and_off_in_dev():
    import os
    import subprocess
    import sys

    probe = ("from django.conf import settings as s; "
             "print(s.ZHIFA_MFA_FOR_ALL, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)")
    env = {k: v for k, v in os.environ.items() if k != "ZHIFA_MFA_FOR_ALL"}
    env["DJANGO_SECRET_KEY"] = "probe-only"

    def values(module: str) -> str:
        run = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {probe}"],
                             env={**env, "DJANGO_SETTINGS_MODULE": module}, capture_output=True,
                             text=True, check=True)
        return run.stdout.strip()

    assert values("config.settings.prod") == "True True True"
    assert values("config.settings.dev") == "False False False"


def test_logout_is_post_only_and_recorded(client, officer):
    login(client, officer.username)
    assert client.get(reverse("org:logout")).status_code == 405
    response = client.post(reverse("org:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("org:login")
    assert client.get(reverse("core:home")).status_code == 302
    assert LedgerEntry.objects.filter(act="auth.logout", actor_id=officer.pk).count() == 1


def test_force_login_verified_helper_passes_the_middleware(client, system_admin):
    mfa.force_login_verified(client, system_admin)
    assert client.get(reverse("core:home")).status_code == 200


def test_password_change_rejects_weak_and_accepts_strong_passwords(client, officer):
    login(client, officer.username)
    weak = client.post(reverse("org:password_change"), {
        "old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678",
    })
    assert weak.status_code == 200
    body = weak.content.decode()
    assert "密码" in body and "太短" in body
    strong = "Shan-shui-2026-lin"
    ok = client.post(reverse("org:password_change"), {
        "old_password": PASSWORD, "new_password1": strong, "new_password2": strong,
    })
    assert ok.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(strong)
    assert client.get(reverse("core:home")).status_code == 200  # still logged in
    assert LedgerEntry.objects.filter(act="auth.password_changed", object_id=str(officer.pk)).count() == 1
