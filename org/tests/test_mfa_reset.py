"""Resetting an officer's authenticator (lost phone): security administrator only, never oneself,
with a reason, recorded; the next login asks for a new enrolment."""

from __future__ import annotations

import json

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.errors import DomainError
from core.models import LedgerEntry
from org import mfa
from org.roles import Role
from org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Zhifa-test-2026!"


@pytest.fixture
def security_admin():
    return OfficerFactory(roles=[Role.SECURITY_ADMIN])


@pytest.fixture
def enrolled(security_admin):
    officer = OfficerFactory(roles=[Role.OFFICER], agency=security_admin.agency)
    TOTPDevice.objects.create(user=officer.user, name="TOTP", confirmed=True)
    return officer


def test_given_security_admin_when_reset_then_device_gone_and_act_recorded(security_admin, enrolled):
    removed = mfa.totp_reset(actor=security_admin.user, user=enrolled.user, reason="手机丢失")

    assert removed == 1
    assert mfa.confirmed_device(enrolled.user) is None
    entry = LedgerEntry.objects.filter(act="auth.mfa_reset").get()
    assert json.loads(entry.payload)["reason"] == "手机丢失"
    assert entry.actor_id == security_admin.user.pk


def test_given_reset_account_when_password_login_then_no_code_asked_until_enrolled(
    client, security_admin, enrolled
):
    enrolled.user.set_password(PASSWORD)
    enrolled.user.save()
    mfa.totp_reset(actor=security_admin.user, user=enrolled.user, reason="换手机")

    response = client.post("/org/login/", {"username": enrolled.user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert "verify" not in response["Location"]


def test_given_admin_of_other_agency_when_reset_then_refused_naming_the_scope(enrolled):
    outsider = OfficerFactory(roles=[Role.SECURITY_ADMIN])

    with pytest.raises(DomainError) as exc:
        mfa.totp_reset(actor=outsider.user, user=enrolled.user, reason="x")

    assert "本机关" in str(exc.value.message)
    assert mfa.confirmed_device(enrolled.user) is not None


def test_given_officer_when_reset_then_refused_naming_the_role(enrolled):
    other = OfficerFactory(roles=[Role.OFFICER], agency=enrolled.agency)

    with pytest.raises(DomainError) as exc:
        mfa.totp_reset(actor=other.user, user=enrolled.user, reason="x")

    assert "安全管理员" in str(exc.value.message)
    assert mfa.confirmed_device(enrolled.user) is not None


def test_given_security_admin_when_resetting_own_device_then_refused(security_admin):
    TOTPDevice.objects.create(user=security_admin.user, name="TOTP", confirmed=True)

    with pytest.raises(DomainError) as exc:
        mfa.totp_reset(actor=security_admin.user, user=security_admin.user, reason="x")

    assert "三员分立" in str(exc.value.message)


def test_given_blank_reason_when_reset_then_refused_and_device_kept(security_admin, enrolled):
    with pytest.raises(DomainError) as exc:
        mfa.totp_reset(actor=security_admin.user, user=enrolled.user, reason="  ")

    assert exc.value.code == "reason_required"
    assert mfa.confirmed_device(enrolled.user) is not None


def test_given_officer_page_when_security_admin_posts_reset_then_redirected_with_device_gone(
    client, security_admin, enrolled
):
    mfa.force_login_verified(client, security_admin.user)

    page = client.get(f"/org/officers/{enrolled.pk}/")
    assert "重置两步验证" in page.content.decode()
    response = client.post(f"/org/officers/{enrolled.pk}/mfa/reset/", {"reason": "手机丢失"})

    assert response.status_code == 302
    assert mfa.confirmed_device(enrolled.user) is None
