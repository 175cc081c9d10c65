"""Screens: agency and department edits, officer transfer and reactivation (given / when / then)."""

import pytest
from django.urls import reverse

from core.models import LedgerEntry
from org import services
from org.mfa import force_login_verified
from org.models import Agency, Department, DepartmentKind, Officer
from org.roles import Role
from org.tests.factories import DepartmentFactory, OfficerFactory

pytestmark = pytest.mark.django_db


def denials(user):
    return LedgerEntry.objects.filter(act="auth.permission_denied", actor_id=user.pk).count()


@pytest.fixture
def supervisor(tree):
    return OfficerFactory(agency=tree["city"], roles=[Role.SUPERVISOR]).user


def _agency_data(agency, **over):
    data = {"name": agency.name, "short_name": agency.short_name, "code": agency.code, "level": agency.level,
            "parent": agency.parent_id or "", "region_code": agency.region_code, "duties": agency.duties,
            "address": agency.address, "phone": agency.phone, "active": "on"}
    return {**data, **over}


# --- agency edit --------------------------------------------------------------------------------


def test_given_system_admin_when_agency_edited_then_saved_with_ledger_old_and_new(client, tree, system_admin):
    force_login_verified(client, system_admin)
    county = tree["county"]
    url = reverse("org:agency_edit", args=[county.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _agency_data(county, phone="0571-12345678", address="新址路2号"))
    assert response.status_code == 302
    assert response["Location"] == reverse("org:agency_detail", args=[county.pk])
    county.refresh_from_db()
    assert county.phone == "0571-12345678" and county.address == "新址路2号"
    entry = LedgerEntry.objects.get(act="org.agency_updated", object_id=str(county.pk))
    assert "0571-12345678" in entry.payload and '"old"' in entry.payload


def test_given_duplicate_code_when_agency_edited_then_chinese_field_error_and_nothing_saved(
    client, tree, system_admin
):
    force_login_verified(client, system_admin)
    county = tree["county"]
    response = client.post(reverse("org:agency_edit", args=[county.pk]),
                           _agency_data(county, code=tree["sibling"].code, phone="000"))
    assert response.status_code == 400
    assert "已被使用" in response.content.decode() or "已使用" in response.content.decode()
    county.refresh_from_db()
    assert county.code != tree["sibling"].code and county.phone != "000"
    assert not LedgerEntry.objects.filter(act="org.agency_updated").exists()


def test_given_agency_when_placed_under_its_own_subordinate_then_refused(client, tree, system_admin):
    force_login_verified(client, system_admin)
    city = tree["city"]
    response = client.post(reverse("org:agency_edit", args=[city.pk]),
                           _agency_data(city, parent=tree["county"].pk))
    assert response.status_code == 400
    city.refresh_from_db()
    assert city.parent == tree["province"]


def test_given_supervisor_when_editing_subordinate_agency_then_sees_no_button_and_403_recorded(
    client, tree, supervisor
):
    force_login_verified(client, supervisor)
    county = tree["county"]
    page = client.get(reverse("org:agency_detail", args=[county.pk])).content.decode()
    assert reverse("org:agency_edit", args=[county.pk]) not in page
    before = denials(supervisor)
    response = client.post(reverse("org:agency_edit", args=[county.pk]), _agency_data(county, name="篡改"))
    assert response.status_code == 403 and "系统管理员" in response.content.decode()
    assert Agency.objects.get(pk=county.pk).name != "篡改"
    assert denials(supervisor) == before + 1


def test_given_system_admin_when_viewing_agency_then_edit_buttons_shown(client, tree, system_admin):
    DepartmentFactory(agency=tree["county"], name="法规科")
    force_login_verified(client, system_admin)
    page = client.get(reverse("org:agency_detail", args=[tree["county"].pk])).content.decode()
    assert reverse("org:agency_edit", args=[tree["county"].pk]) in page
    dept = Department.objects.get(name="法规科")
    assert reverse("org:department_edit", args=[dept.pk]) in page


# --- department edit ----------------------------------------------------------------------------


def test_given_system_admin_when_department_renamed_then_saved_and_recorded(client, tree, system_admin):
    dept = DepartmentFactory(agency=tree["county"], name="法规股")
    force_login_verified(client, system_admin)
    url = reverse("org:department_edit", args=[dept.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "法规科", "kind": DepartmentKind.LEGAL_AFFAIRS, "active": "on"})
    assert response.status_code == 302
    dept.refresh_from_db()
    assert dept.name == "法规科" and dept.kind == DepartmentKind.LEGAL_AFFAIRS
    assert LedgerEntry.objects.filter(act="org.department_updated", object_id=str(dept.pk)).exists()


def test_given_department_with_active_officers_when_deactivated_then_chinese_error_nothing_saved(
    client, tree, system_admin
):
    dept = DepartmentFactory(agency=tree["county"])
    OfficerFactory(agency=tree["county"], department=dept)
    force_login_verified(client, system_admin)
    response = client.post(reverse("org:department_edit", args=[dept.pk]),
                           {"name": "改名", "kind": dept.kind})  # "active" unticked
    assert response.status_code == 400 and "在岗" in response.content.decode()
    dept.refresh_from_db()
    assert dept.active and dept.name != "改名"
    assert not LedgerEntry.objects.filter(act="org.department_updated").exists()


def test_given_security_admin_when_editing_department_then_403_and_recorded(client, tree, security_admin):
    dept = DepartmentFactory(agency=tree["county"])
    force_login_verified(client, security_admin)
    before = denials(security_admin)
    response = client.post(reverse("org:department_edit", args=[dept.pk]), {"name": "x", "kind": "bogus"})
    assert response.status_code == 403
    assert denials(security_admin) == before + 1
    dept.refresh_from_db()
    assert dept.name != "x"


# --- transfer -----------------------------------------------------------------------------------


def test_given_security_admin_when_officer_transferred_then_moved_roles_withdrawn_and_recorded(
    client, tree, security_admin
):
    officer = OfficerFactory(agency=tree["county"], roles=[Role.OFFICER, Role.HEAD])
    target_dept = DepartmentFactory(agency=tree["sibling"], name="执法监察大队乙")
    force_login_verified(client, security_admin)
    url = reverse("org:officer_transfer", args=[officer.pk])
    form_page = client.get(url)
    assert form_page.status_code == 200 and "执法监察大队乙" in form_page.content.decode()
    response = client.post(url, {"agency": tree["sibling"].pk, "department": target_dept.pk})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.agency == tree["sibling"] and officer.department == target_dept
    assert not officer.role_assignments.exists()
    entry = LedgerEntry.objects.get(act="org.officer_transferred", object_id=str(officer.pk))
    assert "roles_withdrawn" in entry.payload and "head" in entry.payload


def test_given_department_of_another_agency_when_transferring_then_chinese_field_error_nothing_saved(
    client, tree, security_admin
):
    officer = OfficerFactory(agency=tree["county"])
    wrong = DepartmentFactory(agency=tree["city"], name="别处的科室")
    force_login_verified(client, security_admin)
    response = client.post(reverse("org:officer_transfer", args=[officer.pk]),
                           {"agency": tree["sibling"].pk, "department": wrong.pk})
    assert response.status_code == 400 and "不属于" in response.content.decode()
    officer.refresh_from_db()
    assert officer.agency == tree["county"] and officer.role_assignments.exists()
    assert not LedgerEntry.objects.filter(act="org.officer_transferred").exists()


def test_given_supervisor_when_transferring_subordinate_officer_then_403_recorded(client, tree, supervisor):
    officer = OfficerFactory(agency=tree["county"])
    force_login_verified(client, supervisor)
    page = client.get(reverse("org:officer_detail", args=[officer.pk])).content.decode()
    assert reverse("org:officer_transfer", args=[officer.pk]) not in page
    before = denials(supervisor)
    response = client.post(reverse("org:officer_transfer", args=[officer.pk]), {"agency": tree["sibling"].pk})
    assert response.status_code == 403
    assert denials(supervisor) == before + 1
    assert Officer.objects.get(pk=officer.pk).agency == tree["county"]


# --- reactivate ---------------------------------------------------------------------------------


def test_given_deactivated_officer_when_reactivated_then_active_login_works_and_recorded(
    client, tree, security_admin
):
    officer = OfficerFactory(agency=tree["county"])
    services.officer_deactivate(actor=security_admin, officer=officer, reason="借调")
    force_login_verified(client, security_admin)
    page = client.get(reverse("org:officer_detail", args=[officer.pk])).content.decode()
    assert reverse("org:officer_reactivate", args=[officer.pk]) in page
    response = client.post(reverse("org:officer_reactivate", args=[officer.pk]), {"reason": "借调结束"})
    assert response.status_code == 302
    officer.refresh_from_db()
    officer.user.refresh_from_db()
    assert officer.active and officer.user.is_active
    entry = LedgerEntry.objects.get(act="org.officer_reactivated", object_id=str(officer.pk))
    assert "借调结束" in entry.payload


def test_given_officer_role_when_reactivating_then_403_recorded_and_still_inactive(
    client, tree, security_admin
):
    target = OfficerFactory(agency=tree["county"])
    services.officer_deactivate(actor=security_admin, officer=target, reason="离职")
    colleague = OfficerFactory(agency=tree["county"], roles=[Role.OFFICER]).user
    force_login_verified(client, colleague)
    before = denials(colleague)
    response = client.post(reverse("org:officer_reactivate", args=[target.pk]), {"reason": ""})
    assert response.status_code == 403
    assert denials(colleague) == before + 1
    assert not Officer.objects.get(pk=target.pk).active


def test_given_reactivate_by_get_then_405(client, tree, security_admin):
    officer = OfficerFactory(agency=tree["county"])
    force_login_verified(client, security_admin)
    assert client.get(reverse("org:officer_reactivate", args=[officer.pk])).status_code == 405


# --- legal qualifications -----------------------------------------------------------------------


def test_given_legal_reviewer_without_qualification_then_warning_and_after_recording_shown(
    client, tree, security_admin
):
    reviewer = OfficerFactory(agency=tree["county"], roles=[Role.LEGAL_REVIEWER])
    force_login_verified(client, security_admin)
    detail = reverse("org:officer_detail", args=[reviewer.pk])
    assert "《行政处罚法》第58条" in client.get(detail).content.decode()
    response = client.post(reverse("org:qualification_record", args=[reviewer.pk]),
                           {"certificate_number": "A20203300000001", "obtained_on": "2020-03-01"})
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert "A20203300000001" in page and "2020-03-01" in page
    assert LedgerEntry.objects.filter(act="org.qualification_recorded").exists()


def test_given_future_date_when_qualification_recorded_then_chinese_error_nothing_saved(
    client, tree, security_admin
):
    reviewer = OfficerFactory(agency=tree["county"], roles=[Role.LEGAL_REVIEWER])
    force_login_verified(client, security_admin)
    response = client.post(reverse("org:qualification_record", args=[reviewer.pk]),
                           {"certificate_number": "A1", "obtained_on": "2099-01-01"})
    assert response.status_code == 400 and "取得日期不能晚于今天" in response.content.decode()
    assert not reviewer.legal_qualifications.exists()


def test_given_supervisor_when_recording_qualification_then_403(client, tree, supervisor):
    reviewer = OfficerFactory(agency=tree["county"], roles=[Role.LEGAL_REVIEWER])
    force_login_verified(client, supervisor)
    response = client.post(reverse("org:qualification_record", args=[reviewer.pk]),
                           {"certificate_number": "A2", "obtained_on": "2020-01-01"})
    assert response.status_code == 403 and not reviewer.legal_qualifications.exists()
