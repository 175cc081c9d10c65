import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import DiscretionStandard, PowerItem
from catalog.services import catalog_load_demo
from catalog.tests.factories import admin_of, officer_of
from core.models import LedgerEntry
from org.mfa import force_login_verified
from org.roles import Role
from org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    agency = AgencyFactory()
    catalog_load_demo(actor=None, agency=agency)
    return agency


def login(client, user):
    force_login_verified(client, user)
    return client


def test_given_an_officer_then_the_power_list_shows_items_filtered_by_kind_in_chinese(client, demo):
    login(client, officer_of(demo))
    page = client.get(reverse("catalog:power_list"), {"kind": "licensing"}).content.decode()
    assert "临时用地审批" in page and "对非法占用土地的行政处罚" not in page
    assert "权责清单" in page
    page = client.get(reverse("catalog:power_list"), {"q": "非法占用"}).content.decode()
    assert "对非法占用土地的行政处罚" in page


def test_given_a_power_item_then_detail_shows_bases_and_history(client, demo):
    login(client, officer_of(demo))
    item = PowerItem.objects.get(agency=demo, code="ZR-CF-001")
    page = client.get(reverse("catalog:power_detail", args=[item.pk])).content.decode()
    assert "土地管理法实施条例第57条" in page and "v1" in page


def test_given_another_agencys_item_then_403_and_the_denial_is_recorded(client, demo):
    """Issue 3 item 3: an existing row the user may not see is a recorded refusal, not a 404."""
    other = AgencyFactory()
    login(client, officer_of(other))
    item = PowerItem.objects.get(agency=demo, code="ZR-CF-001")
    standard = DiscretionStandard.objects.filter(agency=demo).first()
    denials = LedgerEntry.objects.filter(act="auth.permission_denied")
    before = denials.count()
    assert client.get(reverse("catalog:power_detail", args=[item.pk])).status_code == 403
    assert client.get(reverse("catalog:discretion_detail", args=[standard.pk])).status_code == 403
    assert denials.count() == before + 2
    assert denials.order_by("-pk").first().object_id == str(standard.pk)


def test_given_a_row_that_does_not_exist_then_404_and_nothing_recorded(client, demo):
    login(client, officer_of(demo))
    before = LedgerEntry.objects.count()
    assert client.get(reverse("catalog:power_detail", args=[987654])).status_code == 404
    assert client.get(reverse("catalog:discretion_detail", args=[987654])).status_code == 404
    assert LedgerEntry.objects.count() == before


def test_given_a_user_without_a_catalog_role_then_the_lists_are_403_and_recorded(client, demo):
    login(client, officer_of(demo, roles=[Role.AUDIT_ADMIN]))
    denials = LedgerEntry.objects.filter(act="auth.permission_denied")
    before = denials.count()
    names = ("catalog:power_list", "catalog:discretion_list", "catalog:major_rules", "catalog:provision_list")
    for name in names:
        assert client.get(reverse(name)).status_code == 403, name
    assert denials.count() == before + 4


def test_given_a_supervisor_above_then_the_subordinates_catalog_is_readable(client):
    city = AgencyFactory(city=True)
    county = AgencyFactory(parent=city)
    catalog_load_demo(actor=None, agency=county)
    login(client, officer_of(city, roles=[Role.SUPERVISOR]))
    item = PowerItem.objects.get(agency=county, code="ZR-CF-001")
    assert client.get(reverse("catalog:power_detail", args=[item.pk])).status_code == 200


def test_given_the_try_it_form_then_tier_range_and_reasons_are_shown(client, demo):
    login(client, officer_of(demo))
    standard = DiscretionStandard.objects.get(agency=demo, code="illegal_occupation")
    url = reverse("catalog:discretion_detail", args=[standard.pk])
    facts = {"land_class": "farmland", "area": "800", "area_unit": "m2"}
    page = client.get(url, {"act_date": "2024-06-01", **facts})
    text = page.content.decode()
    assert "示例数据" in text and "80000.00" in text and "240000.00" in text and "160000.00" in text
    bad = client.get(url, {"act_date": "2024-13-45", "area": "abc"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()


def test_given_the_major_rules_page_then_a_proposal_lists_requirements(client, demo):
    login(client, officer_of(demo))
    page = client.get(reverse("catalog:major_rules"), {"party_kind": "individual", "fine": "30000"})
    text = page.content.decode()
    assert "风险评估" in text and "法制审核" in text


def test_given_an_import_with_bad_rows_then_each_line_is_listed(client, demo):
    login(client, admin_of(demo))
    upload = SimpleUploadedFile("p.csv", "编码,名称,类别\nA,甲,奖励\nB,,处罚\n".encode("utf-8-sig"))
    response = client.post(reverse("catalog:import"), {"kind": "powers", "agency": demo.pk, "file": upload})
    text = response.content.decode()
    assert response.status_code == 400 and "奖励" in text and ">2<" in text and ">3<" in text


def test_given_a_good_import_then_a_summary(client, demo):
    login(client, admin_of(demo))
    upload = SimpleUploadedFile("p.csv", "编码,名称,类别\nNEW-1,新事项,检查\n".encode("utf-8-sig"))
    response = client.post(reverse("catalog:import"), {"kind": "powers", "agency": demo.pk, "file": upload})
    assert response.status_code == 200 and "import-summary" in response.content.decode()
    assert PowerItem.objects.filter(agency=demo, code="NEW-1").exists()


def test_given_an_officer_then_the_import_page_is_refused(client, demo):
    login(client, officer_of(demo))
    assert client.get(reverse("catalog:import")).status_code == 403


@pytest.mark.parametrize("kind,fmt_name", [("powers", "csv"), ("standards", "xlsx"), ("provisions", "csv")])
def test_given_export_links_then_files_download(client, demo, kind, fmt_name):
    login(client, officer_of(demo))
    response = client.get(reverse("catalog:export", args=[kind, fmt_name]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    if fmt_name == "csv":
        assert response.content.startswith("\ufeff".encode())
    else:
        assert response.content[:2] == b"PK"


def test_given_any_catalog_form_then_its_blank_choice_is_in_chinese(client, demo):
    """Issue 3 item 5: Django 6.1's "- Select an option -" has no Chinese translation."""
    login(client, admin_of(demo))
    standard = DiscretionStandard.objects.filter(agency=demo).first()
    urls = [
        reverse("catalog:import"),
        reverse("catalog:standard_create"),
        reverse("catalog:major_rule_create"),
        reverse("catalog:power_create"),
        reverse("catalog:power_list"),
        reverse("catalog:exemption_edit"),
        reverse("catalog:provision_create"),
        reverse("catalog:discretion_detail", args=[standard.pk]),
        reverse("catalog:standard_edit", args=[standard.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "Select an option" not in page and "---------" not in page, url
        assert 'value="">—</option>' not in page, url
    assert "— 请选择 —" in client.get(reverse("catalog:import")).content.decode()
