import pytest

from core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from core.models import LedgerEntry
from org import services
from org.models import Officer, RoleAssignment
from org.roles import ADMIN_ROLES, ENFORCEMENT_ROLES, Role
from org.tests.factories import DepartmentFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_given_security_admin_when_officer_created_then_login_and_ledger_act(tree, security_admin):
    dept = DepartmentFactory(agency=tree["county"])
    officer = services.officer_create(
        actor=security_admin, agency=tree["county"], department=dept, name="王明", username="wangming",
        password="Lin-an-2026-strong", phone="13900000000",
    )
    assert officer.user.check_password("Lin-an-2026-strong")
    entry = LedgerEntry.objects.get(act="org.officer_created")
    assert entry.object_id == str(officer.pk) and entry.actor_id == security_admin.pk
    assert '"name":"王明"' in entry.payload


def test_given_weak_password_when_officer_created_then_refused_with_validator_messages(tree, security_admin):
    with pytest.raises(ValidationFailed) as exc:
        services.officer_create(actor=security_admin, agency=tree["county"], name="王明",
                                username="wm", password="123")
    assert "password" in exc.value.field_errors
    assert not Officer.objects.filter(name="王明").exists()


def test_given_no_password_when_officer_created_then_login_unusable(tree, security_admin):
    officer = services.officer_create(actor=security_admin, agency=tree["county"], name="李", username="li")
    assert not officer.user.has_usable_password()


def test_given_officer_elsewhere_when_attached_again_then_clear_refusal(tree, security_admin):
    existing = OfficerFactory(agency=tree["sibling"])
    with pytest.raises(Conflict) as exc:
        services.officer_create(actor=security_admin, agency=tree["county"], name="x", user=existing.user)
    assert exc.value.code == "officer_in_other_agency"
    assert tree["sibling"].name in exc.value.message


def test_given_free_user_when_attached_then_becomes_officer(tree, security_admin):
    user = UserFactory()
    officer = services.officer_create(actor=security_admin, agency=tree["county"], name="赵", user=user)
    assert officer.user == user


def test_given_department_of_other_agency_when_officer_created_then_refused(tree, security_admin):
    with pytest.raises(ValidationFailed) as exc:
        services.officer_create(actor=security_admin, agency=tree["county"], name="x", username="x1",
                                department=DepartmentFactory(agency=tree["sibling"]))
    assert "department" in exc.value.field_errors


def test_given_officer_when_updated_then_ledger_has_old_and_new(tree, security_admin):
    officer = OfficerFactory(agency=tree["county"], title="科员")
    services.officer_update(actor=security_admin, officer=officer, title="副大队长")
    entry = LedgerEntry.objects.get(act="org.officer_updated")
    assert '"title":{"new":"副大队长","old":"科员"}' in entry.payload


def test_given_officer_when_transferred_then_roles_withdrawn_and_groups_empty(tree, security_admin):
    officer = OfficerFactory(agency=tree["county"], roles=[Role.OFFICER, Role.HEAD])
    services.officer_transfer(actor=security_admin, officer=officer, agency=tree["sibling"])
    officer.refresh_from_db()
    assert officer.agency == tree["sibling"] and not officer.role_assignments.exists()
    assert not officer.user.groups.exists()


def test_given_officer_when_deactivated_then_login_disabled(tree, security_admin):
    officer = OfficerFactory(agency=tree["county"])
    services.officer_deactivate(actor=security_admin, officer=officer, reason="退休")
    officer.user.refresh_from_db()
    assert not officer.user.is_active
    services.officer_reactivate(actor=security_admin, officer=officer)
    officer.user.refresh_from_db()
    assert officer.user.is_active


def test_given_enforcement_roles_when_combined_then_allowed(tree, security_admin):
    officer = OfficerFactory(agency=tree["county"], roles=[])
    for role in ENFORCEMENT_ROLES:
        services.role_grant(actor=security_admin, officer=officer, role=role)
    assert set(officer.role_assignments.values_list("role", flat=True)) == set(ENFORCEMENT_ROLES)
    assert officer.user.has_perm("core.view_deadline")


@pytest.mark.parametrize("admin_role", sorted(ADMIN_ROLES))
@pytest.mark.parametrize("other", sorted(Role))
def test_given_admin_role_when_combined_with_any_other_then_refused_naming_the_rule(
    tree, security_admin, admin_role, other
):
    if other == admin_role:
        pytest.skip("same role")
    officer = OfficerFactory(agency=tree["county"], roles=[other])
    with pytest.raises(DomainError) as exc:
        services.role_grant(actor=security_admin, officer=officer, role=admin_role)
    assert exc.value.code == "separation_of_duties" and "三员分立" in exc.value.message
    # and the other way round
    officer2 = OfficerFactory(agency=tree["county"], roles=[admin_role])
    with pytest.raises(DomainError) as exc2:
        services.role_grant(actor=security_admin, officer=officer2, role=other)
    assert exc2.value.code == "separation_of_duties"
    assert set(officer2.role_assignments.values_list("role", flat=True)) == {admin_role}


def test_given_unknown_role_when_granted_then_refused(tree, security_admin):
    officer = OfficerFactory(agency=tree["county"])
    with pytest.raises(DomainError) as exc:
        services.role_grant(actor=security_admin, officer=officer, role="dictator")
    assert exc.value.code == "unknown_role"


def test_given_role_when_granted_then_group_permissions_follow_and_revoke_removes(tree, security_admin):
    officer = OfficerFactory(agency=tree["county"], roles=[])
    services.role_grant(actor=security_admin, officer=officer, role=Role.AUDIT_ADMIN)
    user = type(officer.user).objects.get(pk=officer.user.pk)
    assert user.has_perm("core.view_ledgerentry")
    services.role_revoke(actor=security_admin, officer=officer, role=Role.AUDIT_ADMIN)
    user = type(officer.user).objects.get(pk=officer.user.pk)
    assert not user.has_perm("core.view_ledgerentry")
    acts = list(LedgerEntry.objects.filter(act__startswith="org.role_").values_list("act", flat=True))
    assert acts == ["org.role_granted", "org.role_revoked"]


def test_given_held_role_when_granted_again_then_nothing_changes(tree, security_admin):
    officer = OfficerFactory(agency=tree["county"], roles=[Role.OFFICER])
    services.role_grant(actor=security_admin, officer=officer, role=Role.OFFICER)
    assert RoleAssignment.objects.filter(officer=officer).count() == 1
    assert not LedgerEntry.objects.filter(act="org.role_granted").exists()


def test_given_security_admin_when_granting_self_then_denied(tree):
    admin = OfficerFactory(agency=tree["city"], roles=[Role.SECURITY_ADMIN])
    with pytest.raises(PermissionDenied):
        services.role_revoke(actor=admin.user, officer=admin, role=Role.SECURITY_ADMIN)
    assert LedgerEntry.objects.filter(act="auth.permission_denied").count() == 1
