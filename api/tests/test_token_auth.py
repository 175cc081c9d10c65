"""POST /api/v1/auth/token and bearer authentication."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from api.models import ApiToken, token_digest
from api.tests.conftest import PASSWORD, ApiClient
from core.models import LedgerEntry

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token"


def obtain(client: ApiClient, username: str, password: str = PASSWORD, **extra: object):
    return client.post(URL, {"username": username, "password": password, **extra})


def test_given_good_credentials_then_a_token_works_and_only_its_digest_is_stored(anon, officer_a):
    response = obtain(anon, officer_a.user.username, name="集成")
    assert response.status_code == 201, response.content
    body = response.json()
    raw = body["token"]
    assert body["token_type"] == "Bearer"
    row = ApiToken.objects.get(pk=body["id"])
    assert row.key_digest == token_digest(raw)
    assert not ApiToken.objects.filter(key_digest=raw).exists()
    assert raw not in row.prefix and len(row.prefix) < 12
    assert LedgerEntry.objects.filter(act="api.token_issued", object_id=str(row.pk)).count() == 1
    assert raw not in LedgerEntry.objects.get(act="api.token_issued").payload
    listed = ApiClient(raw).get("/api/v1/agencies")
    assert listed.status_code == 200
    assert [a["id"] for a in listed.json()["items"]] == [officer_a.agency_id]


def test_given_unknown_user_or_wrong_password_then_the_answer_is_the_same(anon, officer_a):
    wrong_password = obtain(anon, officer_a.user.username, "Wrong-password-1!")
    unknown_user = obtain(anon, "nobody-here", "Wrong-password-1!")
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert wrong_password.json() == unknown_user.json()
    assert wrong_password.json()["code"] == "invalid_credentials"
    assert LedgerEntry.objects.filter(act="auth.login_failed").count() == 2


def test_given_repeated_failures_then_the_login_is_locked_with_a_json_429(anon, officer_a):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert obtain(anon, officer_a.user.username, "Wrong-password-1!").status_code == 401
    locked = obtain(anon, officer_a.user.username, "Wrong-password-1!")
    assert locked.status_code == 429
    assert locked["Content-Type"].startswith("application/json")
    assert locked.json()["code"] == "locked_out"
    # Even the right password is refused while locked.
    again = obtain(anon, officer_a.user.username)
    assert again.status_code == 429 and again.json()["code"] == "locked_out"
    assert not ApiToken.objects.exists()


def test_given_a_success_after_some_failures_then_the_failure_count_starts_again(anon, officer_a):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        obtain(anon, officer_a.user.username, "Wrong-password-1!")
    assert obtain(anon, officer_a.user.username).status_code == 201
    assert obtain(anon, officer_a.user.username, "Wrong-password-1!").status_code == 401


def _confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_given_a_totp_device_then_the_otp_is_required_and_checked(anon, officer_a):
    device = _confirmed_device(officer_a.user)
    missing = obtain(anon, officer_a.user.username)
    assert missing.status_code == 401
    assert missing.json()["code"] == "otp_required"
    assert "otp" in missing.json()["field_errors"]

    good_code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    good = obtain(anon, officer_a.user.username, otp=good_code)
    assert good.status_code == 201, good.content

    # The same code cannot be replayed; a wrong code is recorded and counts towards the lockout.
    replay = obtain(anon, officer_a.user.username, otp=good_code)
    assert replay.status_code == 401 and replay.json()["code"] == "otp_invalid"
    assert "otp" in replay.json()["field_errors"]
    assert LedgerEntry.objects.filter(act="auth.mfa_failed").count() == 1
    assert AccessAttempt.objects.get(username=officer_a.user.username).failures_since_start == 1
    # Right after a wrong code the device is throttled (django-otp), also answered in JSON.
    throttled = obtain(anon, officer_a.user.username, otp=good_code)
    assert throttled.status_code == 429 and throttled.json()["code"] == "mfa_throttled"
    assert ApiToken.objects.count() == 1


def test_given_mfa_required_and_no_device_then_no_token(anon, officer_a, settings):
    settings.ZHIFA_MFA_FOR_ALL = True
    response = obtain(anon, officer_a.user.username)
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_not_enrolled"
    assert not ApiToken.objects.exists()


def test_given_a_revoked_token_then_it_is_refused(client_a, officer_a):
    token = ApiToken.objects.get(user=officer_a.user)
    revoked = client_a.delete(f"/api/v1/auth/tokens/{token.pk}")
    assert revoked.status_code == 200
    assert revoked.json()["revoked"] is not None
    assert LedgerEntry.objects.filter(act="api.token_revoked", object_id=str(token.pk)).count() == 1
    after = client_a.get("/api/v1/agencies")
    assert after.status_code == 401
    assert after.json()["code"] == "token_revoked"


def test_given_the_current_token_when_revoked_then_it_no_longer_works(client_a):
    assert client_a.delete(URL).status_code == 200
    assert client_a.get("/api/v1/agencies").json()["code"] == "token_revoked"


def test_given_an_expired_token_then_it_is_refused(anon, officer_a):
    raw = obtain(anon, officer_a.user.username, expires_in_days=1).json()["token"]
    client = ApiClient(raw)
    assert client.get("/api/v1/agencies").status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, seconds=5)):
        expired = client.get("/api/v1/agencies")
    assert expired.status_code == 401
    assert expired.json()["code"] == "token_expired"


def test_given_a_made_up_token_then_401_json(anon):
    response = ApiClient("zf_not-a-real-token").get("/api/v1/agencies")
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


def test_given_no_credentials_then_401_json(anon):
    response = anon.get("/api/v1/agencies")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response.json()["message"]


def test_given_another_users_token_when_revoking_then_403_and_the_denial_is_recorded(client_a, agency_a):
    from org.tests.factories import OfficerFactory

    other = OfficerFactory(agency=agency_a)
    response = ApiClient(None).post(URL, {"username": other.user.username, "password": PASSWORD})
    other_id = response.json()["id"]
    refused = client_a.delete(f"/api/v1/auth/tokens/{other_id}")
    assert refused.status_code == 403
    assert refused.json()["code"] == "token_revoke_forbidden"
    assert ApiToken.objects.get(pk=other_id).revoked is None
    assert LedgerEntry.objects.filter(act__endswith="permission_denied").count() == 1


def test_given_a_session_then_reads_work_and_writes_need_csrf(officer_a):
    client = ApiClient(enforce_csrf_checks=True)
    client.client.force_login(officer_a.user)
    assert client.get("/api/v1/agencies").status_code == 200
    token = ApiToken.objects.create(
        user=officer_a.user, prefix="zf_x", key_digest="0" * 64,
        expires=timezone.now() + datetime.timedelta(days=1),
    )
    refused = client.delete(f"/api/v1/auth/tokens/{token.pk}")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    client.client.get("/api/v1/docs")  # sets the CSRF cookie
    csrf = client.client.cookies["csrftoken"].value
    allowed = client.delete(f"/api/v1/auth/tokens/{token.pk}", headers={"X-CSRFToken": csrf})
    assert allowed.status_code == 200, allowed.content


def test_tokens_list_shows_only_my_tokens(client_a, agency_a):
    from api.tests.conftest import token_for
    from org.tests.factories import OfficerFactory

    token_for(OfficerFactory(agency=agency_a).user)
    listed = client_a.get("/api/v1/auth/tokens").json()
    assert listed["count"] == 1
    assert set(listed["items"][0]) == {"id", "name", "prefix", "created", "last_used", "expires", "revoked"}

