"""Superusers and staff verify with a one-time code; the Django admin edits no roles or devices."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from org import mfa
from org.roles import Role
from org.tests.factories import OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Zhifa-test-2026!"


@pytest.mark.parametrize(
    "flags", [{"is_superuser": True, "is_staff": True}, {"is_superuser": True}, {"is_staff": True}]
)
@override_settings(ZHIFA_MFA_FOR_ALL=False)
def test_given_superuser_or_staff_then_mfa_required(flags):
    user = UserFactory(**flags)
    assert mfa.mfa_required(user)


@override_settings(ZHIFA_MFA_FOR_ALL=False)
def test_given_plain_officer_then_mfa_not_required():
    assert not mfa.mfa_required(OfficerFactory(roles=[Role.OFFICER]).user)


@override_settings(ZHIFA_MFA_FOR_ALL=False)
def test_given_superuser_without_device_when_logged_in_then_enrolment_before_django_admin(client):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    response = client.post(reverse("org:login"), {"username": "root", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(reverse("org:mfa_enrol"))
    page = client.get("/django-admin/")
    assert page.status_code == 302 and page["Location"].startswith(reverse("org:mfa_enrol"))
    assert mfa.pending_step(user) == mfa.STEP_ENROL


@pytest.mark.parametrize("model", [Group, TOTPDevice, StaticDevice])
def test_role_groups_and_otp_devices_are_not_in_django_admin(model):
    assert not admin.site.is_registered(model)


def test_given_verified_superuser_then_django_admin_has_no_group_or_device_pages(client):
    user = UserFactory(username="root2", is_superuser=True, is_staff=True)
    mfa.force_login_verified(client, user)
    assert client.get("/django-admin/").status_code == 200
    for url in (
        "/django-admin/auth/group/",
        "/django-admin/otp_totp/totpdevice/",
        "/django-admin/otp_static/staticdevice/",
    ):
        assert client.get(url).status_code == 404, url
