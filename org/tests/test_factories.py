import pytest

from org.models import Agency, AgencyLevel
from org.roles import Role
from org.tests.factories import AgencyFactory, CertificateFactory, OfficerFactory

pytestmark = pytest.mark.django_db


def test_given_factories_when_officer_built_with_roles_then_groups_give_permissions():
    officer = OfficerFactory(roles=[Role.AUDIT_ADMIN])
    assert officer.user.has_perm("core.view_ledgerentry")
    assert not officer.user.has_perm("org.add_officer")


def test_given_parent_when_child_agency_built_then_path_extends_parent():
    province = AgencyFactory(level=AgencyLevel.PROVINCE)
    city = AgencyFactory(level=AgencyLevel.CITY, parent=province)
    assert Agency.objects.get(pk=city.pk).path == f"/{province.pk}/{city.pk}/"


def test_given_certified_fields_then_one_certificate_covers_them():
    officer = OfficerFactory(certified_fields=["land", "mineral"])
    cert = officer.certificates.get()
    assert sorted(cert.fields.values_list("code", flat=True)) == ["land", "mineral"]
    assert CertificateFactory().fields.get().code == "land"
