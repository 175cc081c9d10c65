"""Fields of enforcement: enforcement_field_save and its screens."""

import pytest
from django.urls import reverse

from core.errors import PermissionDenied, ValidationFailed
from core.models import LedgerEntry
from org import services
from org.mfa import force_login_verified
from org.models import EnforcementField
from org.roles import Role
from org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_sysadmin(tree):
    return OfficerFactory(agency=tree["county"], roles=[Role.SYSTEM_ADMIN]).user


def test_given_system_admin_when_field_created_then_saved_and_recorded(county_sysadmin):
    field = services.enforcement_field_save(actor=county_sysadmin, code="water", name="水资源")
    assert EnforcementField.objects.get(code="water").name == "水资源" and field.active
    entry = LedgerEntry.objects.get(act="org.enforcement_field_created")
    assert entry.object_id == str(field.pk) and "水资源" in entry.payload
    assert entry.actor_id == county_sysadmin.pk


def test_given_field_when_renamed_and_deactivated_then_ledger_has_old_and_new(county_sysadmin):
    field = EnforcementField.objects.get(code="marine")
    services.enforcement_field_save(actor=county_sysadmin, field=field, code="marine", name="海洋",
                                    active=False)
    field.refresh_from_db()
    assert field.name == "海洋" and not field.active
    entry = LedgerEntry.objects.get(act="org.enforcement_field_updated")
    assert "海洋资源" in entry.payload and '"active"' in entry.payload


def test_given_unchanged_field_when_saved_then_no_ledger_act(county_sysadmin):
    field = EnforcementField.objects.get(code="land")
    services.enforcement_field_save(actor=county_sysadmin, field=field, code="land", name=field.name)
    assert not LedgerEntry.objects.filter(act="org.enforcement_field_updated").exists()


@pytest.mark.parametrize(("code", "name", "field_name", "text"), [
    ("land", "另一个", "code", "已被"),
    ("Bad Code", "坏代码", "code", "小写字母"),
    ("newone", "土地管理", "name", "已存在"),
    ("newtwo", "  ", "name", "必须填写"),
])
def test_given_bad_input_when_field_created_then_chinese_error_and_nothing_saved(
    county_sysadmin, code, name, field_name, text
):
    count = EnforcementField.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.enforcement_field_save(actor=county_sysadmin, code=code, name=name)
    assert field_name in exc.value.field_errors and text in exc.value.message
    assert EnforcementField.objects.count() == count
    assert not LedgerEntry.objects.filter(act__startswith="org.enforcement_field").exists()


def test_given_existing_field_when_code_changed_then_refused(county_sysadmin):
    field = EnforcementField.objects.get(code="land")
    with pytest.raises(ValidationFailed) as exc:
        services.enforcement_field_save(actor=county_sysadmin, field=field, code="land2", name="土地")
    assert "code" in exc.value.field_errors
    assert EnforcementField.objects.get(pk=field.pk).code == "land"


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.SUPERVISOR, Role.OFFICER, Role.AUDIT_ADMIN])
def test_given_not_system_admin_when_field_created_then_denied_and_recorded(tree, role):
    user = OfficerFactory(agency=tree["county"], roles=[role]).user
    with pytest.raises(PermissionDenied):
        services.enforcement_field_save(actor=user, code="water", name="水资源")
    assert not EnforcementField.objects.filter(code="water").exists()
    assert LedgerEntry.objects.filter(act="auth.permission_denied", actor_id=user.pk).exists()


def test_given_officer_when_listing_fields_then_sees_them_without_form(client, tree):
    officer = OfficerFactory(agency=tree["county"], roles=[Role.OFFICER]).user
    force_login_verified(client, officer)
    response = client.get(reverse("org:field_list"))
    page = response.content.decode()
    assert response.status_code == 200 and "土地管理" in page
    assert 'name="code"' not in page


def test_given_system_admin_when_field_created_on_screen_then_listed(client, county_sysadmin):
    force_login_verified(client, county_sysadmin)
    assert 'name="code"' in client.get(reverse("org:field_list")).content.decode()
    response = client.post(reverse("org:field_list"), {"code": "water", "name": "水资源", "active": "on"})
    assert response.status_code == 302
    assert "水资源" in client.get(reverse("org:field_list")).content.decode()


def test_given_duplicate_code_on_screen_then_400_with_chinese_message(client, county_sysadmin):
    force_login_verified(client, county_sysadmin)
    response = client.post(reverse("org:field_list"), {"code": "land", "name": "土地二", "active": "on"})
    assert response.status_code == 400 and "已被" in response.content.decode()
    assert not EnforcementField.objects.filter(name="土地二").exists()


def test_given_system_admin_when_field_edited_on_screen_then_code_kept_name_changed(client, county_sysadmin):
    field = EnforcementField.objects.get(code="forestry")
    force_login_verified(client, county_sysadmin)
    url = reverse("org:field_edit", args=[field.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"code": "hacked", "name": "林草", "active": "on"})
    assert response.status_code == 302
    field.refresh_from_db()
    assert field.code == "forestry" and field.name == "林草"


def test_given_supervisor_when_posting_field_then_403_and_recorded(client, tree):
    supervisor = OfficerFactory(agency=tree["city"], roles=[Role.SUPERVISOR]).user
    force_login_verified(client, supervisor)
    field = EnforcementField.objects.get(code="land")
    for url in (reverse("org:field_list"), reverse("org:field_edit", args=[field.pk])):
        response = client.post(url, {"code": "land", "name": "改", "active": ""})
        assert response.status_code == 403
    assert LedgerEntry.objects.filter(act="auth.permission_denied", actor_id=supervisor.pk).count() == 2
    field.refresh_from_db()
    assert field.name == "土地管理" and field.active


def test_given_deactivated_field_then_not_offered_on_new_certificates(client, tree, county_sysadmin,
                                                                      security_admin):
    field = EnforcementField.objects.get(code="marine")
    services.enforcement_field_save(actor=county_sysadmin, field=field, code="marine", name=field.name,
                                    active=False)
    officer = OfficerFactory(agency=tree["county"])
    force_login_verified(client, security_admin)
    page = client.get(reverse("org:certificate_issue", args=[officer.pk])).content.decode()
    assert "海洋资源" not in page and "土地管理" in page
