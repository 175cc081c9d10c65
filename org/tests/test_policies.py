"""What each role sees and may do (given the province → city → county tree of conftest)."""

import pytest
from django.db import transaction

from core.errors import PermissionDenied
from core.models import LedgerEntry
from org import policies, selectors, services
from org.models import AgencyLevel
from org.roles import Role
from org.tests.factories import AgencyFactory, DepartmentFactory, OfficerFactory

pytestmark = pytest.mark.django_db

# role held by an officer of the *city* bureau → which agencies (by fixture name) they read
READS = {
    Role.OFFICER: {"city"},
    Role.LEGAL_REVIEWER: {"city"},
    Role.HEAD: {"city"},
    Role.SUPERVISOR: {"city", "county", "sibling"},
    Role.SYSTEM_ADMIN: {"city", "county", "sibling"},
    Role.SECURITY_ADMIN: {"city", "county", "sibling"},
    Role.AUDIT_ADMIN: {"city", "county", "sibling"},
}

# verb → the one role (of the city bureau) that may do it to the county bureau's object
WRITES = {
    "create_agency": Role.SYSTEM_ADMIN,
    "update_agency": Role.SYSTEM_ADMIN,
    "create_department": Role.SYSTEM_ADMIN,
    "update_department": Role.SYSTEM_ADMIN,
    "create_officer": Role.SECURITY_ADMIN,
    "update_officer": Role.SECURITY_ADMIN,
    "transfer_officer": Role.SECURITY_ADMIN,
    "deactivate_officer": Role.SECURITY_ADMIN,
    "grant_role": Role.SECURITY_ADMIN,
    "revoke_role": Role.SECURITY_ADMIN,
    "issue_certificate": Role.SECURITY_ADMIN,
    "change_certificate": Role.SECURITY_ADMIN,
    "record_qualification": Role.SECURITY_ADMIN,
}


def target_for(verb, tree):
    county_officer = OfficerFactory(agency=tree["county"], certified_fields=["land"])
    return {
        "create_agency": tree["county"].parent,
        "update_agency": tree["county"],
        "create_department": tree["county"],
        "update_department": DepartmentFactory(agency=tree["county"]),
        "create_officer": tree["county"],
        "change_certificate": county_officer.certificates.first(),
    }.get(verb, county_officer)


@pytest.mark.parametrize("role", list(Role))
def test_what_each_role_reads(tree, role):
    user = OfficerFactory(agency=tree["city"], roles=[role]).user
    expected = {tree[name].pk for name in READS[role]}
    assert set(selectors.visible_agency_ids(user)) == expected
    others = OfficerFactory(agency=tree["sibling"])
    assert (others in policies.visible_officers(user)) == ("sibling" in READS[role])
    assert not policies.visible_agencies(user).filter(pk=tree["province"].pk).exists()


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("verb", list(WRITES))
def test_what_each_role_may_do_in_a_subordinate_agency(tree, role, verb):
    user = OfficerFactory(agency=tree["city"], roles=[role]).user
    assert policies.can(user, verb, target_for(verb, tree)) == (WRITES[verb] == role)


@pytest.mark.parametrize("verb", list(WRITES))
def test_administrators_may_not_act_above_their_agency(tree, verb):
    user = OfficerFactory(agency=tree["county"], roles=[WRITES[verb]]).user
    province_officer = OfficerFactory(agency=tree["province"], certified_fields=["land"])
    target = {
        "create_agency": tree["province"],
        "update_agency": tree["province"],
        "create_department": tree["province"],
        "create_officer": tree["province"],
        "update_department": DepartmentFactory(agency=tree["province"]),
        "change_certificate": province_officer.certificates.first(),
    }.get(verb, province_officer)
    assert not policies.can(user, verb, target)


def test_supervisor_reads_subordinates_but_may_not_write_them(tree):
    supervisor = OfficerFactory(agency=tree["city"], roles=[Role.SUPERVISOR]).user
    county_officer = OfficerFactory(agency=tree["county"])
    assert policies.can(supervisor, "view", county_officer)
    with pytest.raises(PermissionDenied) as exc:
        services.officer_update(actor=supervisor, officer=county_officer, title="x")
    assert "三员分立" in exc.value.message
    county_officer.refresh_from_db()
    assert county_officer.title != "x"


def test_user_without_officer_sees_nothing_and_superuser_everything(tree, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x")
    assert selectors.visible_agency_ids(nobody) == []
    root = django_user_model.objects.create_superuser("root", password="x")
    assert set(selectors.visible_agency_ids(root)) == {a.pk for a in tree.values()}


def test_deactivated_officer_sees_nothing(tree):
    officer = OfficerFactory(agency=tree["county"], active=False)
    assert selectors.visible_agency_ids(officer.user) == []


def test_denial_is_a_ledger_act(tree):
    officer = OfficerFactory(agency=tree["county"])
    with pytest.raises(PermissionDenied):
        policies.ensure(officer.user, "update_agency", tree["county"])
    entry = LedgerEntry.objects.get(act="auth.permission_denied")
    assert entry.actor_id == officer.user.pk and entry.object_id == str(tree["county"].pk)
    assert "update_agency" in entry.payload


def test_denial_rolled_back_with_callers_transaction_is_written_again(tree):
    officer = OfficerFactory(agency=tree["county"])
    policies.forget_pending_denials()
    with pytest.raises(PermissionDenied), transaction.atomic():
        policies.ensure(officer.user, "update_agency", tree["county"])
    assert not LedgerEntry.objects.filter(act="auth.permission_denied").exists()
    assert policies.flush_pending_denials() == 1
    entry = LedgerEntry.objects.get(act="auth.permission_denied")
    assert "rolled_back_and_rewritten" in entry.payload


def test_alert_recipients_are_responsible_user_and_heads(tree):
    head = OfficerFactory(agency=tree["county"], roles=[Role.HEAD])
    OfficerFactory(agency=tree["sibling"], roles=[Role.HEAD])
    OfficerFactory(agency=tree["county"], roles=[Role.HEAD], active=False)
    responsible = OfficerFactory(agency=tree["county"]).user
    assert selectors.alert_recipients(agency_id=tree["county"].pk, responsible=responsible) == [
        responsible,
        head.user,
    ]
    assert selectors.alert_recipients(agency_id=tree["county"].pk, responsible=head.user) == [head.user]


def test_agency_label_and_roles_of(tree):
    agency = AgencyFactory(code="330185", name="临安区自然资源局", short_name="临自然资")
    assert selectors.agency_label(agency.pk) == {
        "code": "330185",
        "name": "临安区自然资源局",
        "short_name": "临自然资",
    }
    officer = OfficerFactory(roles=[Role.OFFICER, Role.HEAD])
    assert selectors.roles_of(user=officer.user) == frozenset({Role.OFFICER, Role.HEAD})
    assert selectors.officer_for(officer.user) == officer


def test_agency_services_keep_the_hierarchy(tree, system_admin):
    from core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        services.agency_create(
            actor=system_admin, parent=tree["county"], name="x", code="X1", level=AgencyLevel.CITY
        )
    assert "parent" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        services.agency_create(
            actor=system_admin,
            parent=tree["city"],
            name="x",
            code=tree["county"].code,
            level=AgencyLevel.COUNTY,
        )
    assert "code" in exc.value.field_errors
    new = services.agency_create(
        actor=system_admin, parent=tree["city"], name="新县局", code="NEW1", level=AgencyLevel.COUNTY
    )
    assert new.path == f"{tree['city'].path}{new.pk}/"
    with pytest.raises(ValidationFailed):
        services.agency_update(actor=system_admin, agency=tree["city"], parent=tree["county"])


def test_moving_an_agency_moves_its_subtree(tree):
    other_city = AgencyFactory(level=AgencyLevel.CITY, parent=tree["province"])
    dept_agency = tree["county"]
    services.agency_update(actor=None, agency=tree["city"], name="杭州市局")
    services.agency_update(actor=None, agency=dept_agency, parent=other_city)
    dept_agency.refresh_from_db()
    assert dept_agency.path == f"{other_city.path}{dept_agency.pk}/"
    entry = LedgerEntry.objects.filter(act="org.agency_updated").last()
    assert '"parent_id"' in entry.payload


def test_department_services(tree, system_admin):
    dept = services.department_create(
        actor=system_admin, agency=tree["county"], name="法规科", kind="legal_affairs"
    )
    from core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.department_create(
            actor=system_admin, agency=tree["county"], name="法规科", kind="legal_affairs"
        )
    OfficerFactory(agency=tree["county"], department=dept)
    with pytest.raises(ValidationFailed) as exc:
        services.department_update(actor=system_admin, department=dept, active=False)
    assert "active" in exc.value.field_errors
