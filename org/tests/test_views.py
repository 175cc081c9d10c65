import datetime

import pytest
from django.urls import reverse

from core.models import LedgerEntry
from org.mfa import force_login_verified
from org.models import Certificate, CertificateStatus, Officer
from org.roles import Role
from org.tests.factories import CertificateFactory, DepartmentFactory, OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, security_admin):
    force_login_verified(client, security_admin)
    return client


def test_agency_tree_and_detail_show_only_visible_agencies(client, tree):
    officer = OfficerFactory(agency=tree["county"], roles=[Role.OFFICER])
    force_login_verified(client, officer.user)
    DepartmentFactory(agency=tree["county"], name="执法监察大队甲")
    page = client.get(reverse("org:agency_list")).content.decode()
    assert tree["county"].name in page and tree["sibling"].name not in page
    detail = client.get(reverse("org:agency_detail", args=[tree["county"].pk])).content.decode()
    assert "执法监察大队甲" in detail
    assert client.get(reverse("org:agency_detail", args=[tree["sibling"].pk])).status_code == 404


def test_officer_list_filters_and_paginates(admin_client, tree):
    dept = DepartmentFactory(agency=tree["county"])
    OfficerFactory(agency=tree["county"], department=dept, name="有证甲", certified_fields=["land"])
    OfficerFactory(agency=tree["county"], department=dept, name="无证乙")
    url = reverse("org:officer_list")
    page = admin_client.get(url, {"department": dept.pk, "certificate": "none"}).content.decode()
    assert "无证乙" in page and "有证甲" not in page
    for _ in range(30):
        OfficerFactory(agency=tree["county"], department=dept, with_department=False)
    first = admin_client.get(url, {"department": dept.pk})
    assert first.status_code == 200 and first.context["page"].paginator.num_pages == 2


def test_officer_detail_highlights_expiring_certificate_and_hides_nothing_private_from_admin(
    admin_client, tree
):
    officer = OfficerFactory(agency=tree["county"])
    CertificateFactory(
        officer=officer, number="EXP-SOON", expires_on=datetime.date.today() + datetime.timedelta(5)
    )
    body = admin_client.get(reverse("org:officer_detail", args=[officer.pk])).content.decode()
    assert "EXP-SOON" in body and "badge-expiring" in body and "is-due-soon" in body


def test_create_officer_form_shows_password_rule_messages(admin_client, tree):
    url = reverse("org:officer_create")
    data = {"agency": tree["county"].pk, "name": "新人", "username": "xinren", "password": "123"}
    response = admin_client.post(url, data)
    assert response.status_code == 400 and not Officer.objects.filter(name="新人").exists()
    data["password"] = "Strong-Pass-2026!"
    response = admin_client.post(url, data)
    officer = Officer.objects.get(name="新人")
    assert response.status_code == 302 and response["Location"] == reverse(
        "org:officer_detail", args=[officer.pk]
    )


def test_grant_admin_role_to_enforcement_officer_shows_separation_rule(admin_client, tree):
    officer = OfficerFactory(agency=tree["county"], roles=[Role.OFFICER])
    url = reverse("org:officer_role", args=[officer.pk, "grant"])
    response = admin_client.post(url, {"role": Role.AUDIT_ADMIN})
    assert response.status_code == 400 and "三员分立" in response.content.decode()
    assert admin_client.post(url, {"role": Role.HEAD}).status_code == 302
    assert officer.role_assignments.filter(role=Role.HEAD).exists()


def test_issue_duplicate_certificate_shows_message_then_suspend(admin_client, tree):
    officer = OfficerFactory(agency=tree["county"])
    CertificateFactory(number="DUP-1")
    url = reverse("org:certificate_issue", args=[officer.pk])
    data = {
        "number": "DUP-1",
        "issuing_body": "浙江省人民政府",
        "fields_covered": ["land"],
        "issued_on": "2026-01-01",
        "expires_on": "2029-01-01",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 400 and "DUP-1" in response.content.decode()
    data["number"] = "NEW-1"
    assert admin_client.post(url, data).status_code == 302
    cert = Certificate.objects.get(number="NEW-1")
    bad_date = admin_client.post(url, {**data, "number": "NEW-2", "expires_on": "2026-13-45"})
    assert bad_date.status_code == 400
    response = admin_client.post(
        reverse("org:certificate_change", args=[cert.pk, "suspend"]), {"reason": "调查"}
    )
    cert.refresh_from_db()
    assert response.status_code == 302 and cert.status == CertificateStatus.SUSPENDED


def test_officer_may_not_use_admin_forms_and_denial_is_recorded(client, tree):
    officer = OfficerFactory(agency=tree["county"], roles=[Role.OFFICER])
    force_login_verified(client, officer.user)
    other = OfficerFactory(agency=tree["county"])
    response = client.post(reverse("org:officer_role", args=[other.pk, "grant"]), {"role": Role.HEAD})
    assert response.status_code == 403
    assert not other.role_assignments.filter(role=Role.HEAD).exists()
    assert LedgerEntry.objects.filter(act="auth.permission_denied", actor_id=officer.user.pk).exists()
