"""officer_for / roles_of are memoised per user object, and see every change made through the ORM."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from org.models import RoleAssignment, User
from org.roles import Role
from org.selectors import officer_for, roles_of
from org.services.officers import officer_deactivate, role_grant, role_revoke
from org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def test_officer_and_roles_in_one_query_asked_once() -> None:
    officer = OfficerFactory()
    role_grant(actor=None, officer=officer, role=Role.HEAD)
    user = User.objects.get(pk=officer.user_id)
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(3):
            assert officer_for(user) == officer
            assert officer_for(user).agency.name == officer.agency.name  # type: ignore[union-attr]
            assert roles_of(user=user) == {Role.OFFICER, Role.HEAD}
    assert len(ctx.captured_queries) == 1  # the role rows bring the officer and its agency along


def test_the_mfa_device_comes_with_the_roles() -> None:
    """Every signed-in request asks for the confirmed device and the roles: on PostgreSQL one round
    trip (core.prepared.fetch_together), one query each elsewhere; afterwards neither is asked again."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from org.mfa import confirmed_device, mfa_required

    officer = OfficerFactory()
    role_grant(actor=None, officer=officer, role=Role.HEAD)
    device = TOTPDevice.objects.create(user=officer.user, name="phone", confirmed=True)
    user = User.objects.get(pk=officer.user_id)
    with CaptureQueriesContext(connection) as ctx:
        assert confirmed_device(user) == device
        assert roles_of(user=user) == {Role.OFFICER, Role.HEAD} and not mfa_required(user)
        assert officer_for(user) == officer
    assert len(ctx.captured_queries) == (1 if connection.vendor == "postgresql" else 2)
    with CaptureQueriesContext(connection) as ctx:
        assert confirmed_device(user) == device  # the roles known: the device alone
    assert len(ctx.captured_queries) == 1
    other = User.objects.create_user("no-officer", password="x-Passw0rd-2026")
    assert confirmed_device(other) is None and officer_for(other) is None
    assert roles_of(user=other) == frozenset()


def test_an_officer_without_roles_is_found_by_a_second_query() -> None:
    officer = OfficerFactory()
    RoleAssignment.objects.filter(officer=officer).delete()
    user = User.objects.get(pk=officer.user_id)
    with CaptureQueriesContext(connection) as ctx:
        assert officer_for(user) == officer and roles_of(user=user) == frozenset()
    assert len(ctx.captured_queries) == 2


def test_changes_through_services_are_seen_by_the_same_user_object() -> None:
    officer = OfficerFactory()
    user = User.objects.get(pk=officer.user_id)
    assert roles_of(user=user) == {Role.OFFICER}
    role_grant(actor=None, officer=officer, role=Role.HEAD)
    assert roles_of(user=user) == {Role.OFFICER, Role.HEAD}
    role_revoke(actor=None, officer=officer, role=Role.OFFICER)
    assert roles_of(user=user) == {Role.HEAD}
    officer_deactivate(actor=None, officer=officer, reason="退休")
    assert roles_of(user=user) == frozenset()
    assert officer_for(user) is not None and not officer_for(user).active  # type: ignore[union-attr]


def test_the_next_request_reads_afresh_even_without_signals() -> None:
    officer = OfficerFactory()
    user = User.objects.get(pk=officer.user_id)
    assert roles_of(user=user) == {Role.OFFICER}
    RoleAssignment.objects.filter(officer=officer).update(role=Role.LEGAL_REVIEWER)  # sends no signal
    assert roles_of(user=User.objects.get(pk=user.pk)) == {Role.LEGAL_REVIEWER}  # a new request's user
