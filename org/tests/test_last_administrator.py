"""Guard: an agency tree keeps a security administrator, the platform keeps a system administrator."""

import pytest
from django.urls import reverse

from core.errors import DomainError
from core.models import LedgerEntry
from org import services
from org.mfa import force_login_verified
from org.models import AgencyLevel, Officer, RoleAssignment
from org.roles import Role
from org.tests.factories import AgencyFactory, OfficerFactory

pytestmark = pytest.mark.django_db


def test_given_last_security_admin_of_tree_when_revoked_then_refused_in_chinese_and_kept(tree):
    last = OfficerFactory(agency=tree["county"], roles=[Role.SECURITY_ADMIN])
    entries = LedgerEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        services.role_revoke(actor=None, officer=last, role=Role.SECURITY_ADMIN)
    assert exc.value.code == "last_administrator"
    assert "最后一名安全管理员" in exc.value.message and "先将安全管理员角色授予" in exc.value.message
    assert tree["province"].name in exc.value.message
    assert RoleAssignment.objects.filter(officer=last, role=Role.SECURITY_ADMIN).exists()
    assert LedgerEntry.objects.count() == entries


def test_given_second_security_admin_in_same_tree_when_one_revoked_then_allowed(tree):
    one = OfficerFactory(agency=tree["county"], roles=[Role.SECURITY_ADMIN])
    OfficerFactory(agency=tree["province"], roles=[Role.SECURITY_ADMIN])
    services.role_revoke(actor=None, officer=one, role=Role.SECURITY_ADMIN)
    assert not one.role_assignments.exists()
    assert LedgerEntry.objects.filter(act="org.role_revoked", object_id=str(one.pk)).exists()


def test_given_security_admin_only_in_another_tree_when_last_of_this_tree_revoked_then_refused(tree):
    other_root = AgencyFactory(level=AgencyLevel.PROVINCE, name="另一省自然资源厅")
    OfficerFactory(agency=other_root, roles=[Role.SECURITY_ADMIN])
    last = OfficerFactory(agency=tree["city"], roles=[Role.SECURITY_ADMIN])
    with pytest.raises(DomainError):
        services.role_revoke(actor=None, officer=last, role=Role.SECURITY_ADMIN)


def test_given_other_security_admin_inactive_when_last_active_one_revoked_then_refused(tree):
    inactive = OfficerFactory(agency=tree["city"], roles=[Role.SECURITY_ADMIN])
    Officer.objects.filter(pk=inactive.pk).update(active=False)
    last = OfficerFactory(agency=tree["county"], roles=[Role.SECURITY_ADMIN])
    with pytest.raises(DomainError) as exc:
        services.role_revoke(actor=None, officer=last, role=Role.SECURITY_ADMIN)
    assert exc.value.code == "last_administrator"


def test_given_last_security_admin_when_deactivated_then_refused_and_still_active(tree):
    last = OfficerFactory(agency=tree["county"], roles=[Role.SECURITY_ADMIN])
    with pytest.raises(DomainError) as exc:
        services.officer_deactivate(actor=None, officer=last, reason="退休")
    assert exc.value.code == "last_administrator"
    last.refresh_from_db()
    last.user.refresh_from_db()
    assert last.active and last.user.is_active
    assert not LedgerEntry.objects.filter(act="org.officer_deactivated").exists()


def test_given_last_security_admin_when_transferring_themselves_then_refused_with_roles_kept(tree):
    last = OfficerFactory(agency=tree["city"], roles=[Role.SECURITY_ADMIN])
    with pytest.raises(DomainError) as exc:
        services.officer_transfer(actor=last.user, officer=last, agency=tree["county"])
    assert exc.value.code == "last_administrator"
    last.refresh_from_db()
    assert last.agency == tree["city"] and last.role_assignments.filter(role=Role.SECURITY_ADMIN).exists()


def test_given_last_system_admin_of_platform_when_revoked_then_refused(tree, security_admin):
    last = OfficerFactory(agency=tree["county"], roles=[Role.SYSTEM_ADMIN])
    with pytest.raises(DomainError) as exc:
        services.role_revoke(actor=security_admin, officer=last, role=Role.SYSTEM_ADMIN)
    assert exc.value.code == "last_administrator"
    assert "最后一名系统管理员" in exc.value.message and "先将系统管理员角色授予" in exc.value.message
    assert last.role_assignments.filter(role=Role.SYSTEM_ADMIN).exists()


def test_given_system_admin_in_another_tree_when_one_revoked_then_allowed(tree, security_admin):
    other_root = AgencyFactory(level=AgencyLevel.PROVINCE)
    OfficerFactory(agency=other_root, roles=[Role.SYSTEM_ADMIN])
    one = OfficerFactory(agency=tree["county"], roles=[Role.SYSTEM_ADMIN])
    services.role_revoke(actor=security_admin, officer=one, role=Role.SYSTEM_ADMIN)
    assert not one.role_assignments.exists()


def test_given_last_system_admin_when_deactivated_then_refused(tree, security_admin):
    last = OfficerFactory(agency=tree["county"], roles=[Role.SYSTEM_ADMIN])
    with pytest.raises(DomainError):
        services.officer_deactivate(actor=security_admin, officer=last, reason="离职")
    last.refresh_from_db()
    assert last.active


def test_given_enforcement_role_when_revoked_then_guard_does_not_apply(tree, security_admin):
    officer = OfficerFactory(agency=tree["county"], roles=[Role.OFFICER])
    services.role_revoke(actor=security_admin, officer=officer, role=Role.OFFICER)
    assert not officer.role_assignments.exists()


def test_given_last_system_admin_when_revoked_on_screen_then_chinese_message_and_nothing_changed(
    client, tree, security_admin
):
    last = OfficerFactory(agency=tree["county"], roles=[Role.SYSTEM_ADMIN])
    force_login_verified(client, security_admin)
    response = client.post(reverse("org:officer_role", args=[last.pk, "revoke"]),
                            {"role": Role.SYSTEM_ADMIN})
    assert response.status_code == 400
    assert "最后一名系统管理员" in response.content.decode()
    assert last.role_assignments.filter(role=Role.SYSTEM_ADMIN).exists()
