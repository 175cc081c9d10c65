"""Security base: CSP with nonces, CSRF, password rules, error pages, static htmx."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.errors import ValidationFailed
from core.models import LedgerEntry
from core.passwords import CharacterClassValidator, password_change

pytestmark = pytest.mark.django_db

PASSWORD = "Zhifa-test-2026!"


@pytest.fixture
def user():
    return get_user_model().objects.create_user("wang.ming", password=PASSWORD, first_name="明",
                                                last_name="王")


def test_every_page_carries_a_csp_with_a_nonce_that_the_scripts_use(client):
    response = client.get(reverse("org:login"))
    csp = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert "script-src 'self' 'nonce-" in csp and "style-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    body = response.content.decode()
    scripts = re.findall(r"<script[^>]*>", body)
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert "<style" not in body and " style=" not in body
    # A second response gets a fresh nonce.
    again = client.get(reverse("org:login"))
    assert nonce not in again["Content-Security-Policy"]


def test_templates_have_no_inline_script_or_style_without_nonce():
    from pathlib import Path

    from django.conf import settings

    roots = [Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "org/templates/org/auth",
             Path(settings.BASE_DIR) / "core/templates/core/home.html"]
    files = [p for r in roots for p in ([r] if r.is_file() else r.rglob("*.html"))]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert " style=" not in text, path
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", text):
            assert "nonce=" in tag and ("src=" in tag or "<style" in tag), (path, tag)


def test_htmx_is_served_from_our_own_static_files(client):
    body = client.get(reverse("org:login")).content.decode()
    assert '<script src="/static/vendor/htmx.min.js"' in body
    from django.contrib.staticfiles import finders

    path = finders.find("vendor/htmx.min.js")
    assert path and "htmx" in open(path, encoding="utf-8").read(2000)


def test_post_without_csrf_token_is_refused_with_the_chinese_page(user):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("org:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 403
    body = response.content.decode()
    assert "表单未能提交" in body and "刷新页面" in body
    assert "_auth_user_id" not in strict.session


def test_post_with_csrf_token_is_accepted(user):
    strict = Client(enforce_csrf_checks=True)
    page = strict.get(reverse("org:login"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = strict.post(reverse("org:login"), {"username": user.username, "password": PASSWORD,
                                                  "csrfmiddlewaretoken": token})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("password", "code", "chinese"),
    [
        ("Ab1!", "password_too_short", "太短"),
        ("password123", "password_too_common", "常见"),
        ("4839201746251", "password_entirely_numeric", "数字"),
        ("wangming-lin-an", "password_too_simple", None),
        ("Wang.Ming.2026", "password_too_similar", "相似"),
    ],
)
def test_weak_passwords_are_rejected_with_chinese_messages(user, password, code, chinese):
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user)
    assert code in [e.code for e in exc.value.error_list]
    if chinese:
        assert any(chinese in m for m in exc.value.messages), exc.value.messages


def test_strong_password_passes_every_validator(user):
    validate_password("Shan-shui-2026-lin", user)


def test_character_classes_need_three_of_four():
    validator = CharacterClassValidator()
    validator.validate("abcdEFGH1234")
    validator.validate("abcd-efgh-1234")
    with pytest.raises(ValidationError):
        validator.validate("abcdefghijkl1")


def test_password_change_service_refuses_weak_and_records_strong(user):
    with pytest.raises(ValidationFailed) as exc:
        password_change(actor=user, user=user, new_password="12345678")
    assert exc.value.code == "password_too_weak" and "new_password1" in exc.value.field_errors
    assert "新密码不符合密码规则" in exc.value.message
    assert not LedgerEntry.objects.filter(act="auth.password_changed").exists()
    password_change(actor=user, user=user, new_password="Shan-shui-2026-lin")
    user.refresh_from_db()
    assert user.check_password("Shan-shui-2026-lin")
    entry = LedgerEntry.objects.get(act="auth.password_changed")
    assert entry.actor_id == user.pk and "Shan" not in entry.payload


def test_404_page_is_chinese_and_says_what_to_do(client, user):
    client.force_login(user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body and "返回我的待办" in body


def test_error_templates_render_without_a_request():
    from django.template.loader import render_to_string

    for name, text in [("500.html", "系统出现故障"), ("400.html", "无法处理该请求"),
                       ("403.html", "您无权打开此页面"), ("403_csrf.html", "表单未能提交")]:
        assert text in render_to_string(name, {})


def test_anonymous_user_is_sent_to_the_login_page(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("org:login") + "?next=/")


def test_production_settings_secure_the_cookies():
    import os
    import subprocess
    import sys

    probe = ("from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
             "s.SESSION_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS > 0, bool(s.SECURE_CSP))")
    env = {**os.environ, "DJANGO_SECRET_KEY": "probe-only", "DJANGO_SETTINGS_MODULE": "config.settings.prod"}
    run = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {probe}"], env=env,
                         capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "True True True True True"
