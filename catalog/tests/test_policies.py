import datetime

import pytest

from catalog import policies
from catalog.models import PowerItem
from catalog.services import power_item_create, power_item_publish, power_item_revise
from catalog.tests.factories import admin_of, officer_of
from core.errors import Conflict, PermissionDenied
from core.models import LedgerEntry
from org.roles import Role
from org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db
CONTENT = {"name": "对非法占用土地的行政处罚", "kind": "penalty"}


@pytest.mark.parametrize(
    "role,may_view,may_edit",
    [
        (Role.OFFICER, True, False),
        (Role.LEGAL_REVIEWER, True, False),
        (Role.HEAD, True, False),
        (Role.SUPERVISOR, True, False),
        (Role.SYSTEM_ADMIN, True, True),
        (Role.SECURITY_ADMIN, False, False),
        (Role.AUDIT_ADMIN, False, False),
    ],
)
def test_each_role_reads_and_edits_as_the_policy_says(role, may_view, may_edit):
    agency = AgencyFactory()
    user = officer_of(agency, roles=[role])
    row = PowerItem(agency=agency)
    assert policies.can(user, "view", row) is may_view
    assert policies.can(user, "edit", row) is may_edit


def test_given_an_admin_of_another_agency_then_editing_is_refused_and_recorded():
    agency, other = AgencyFactory(), AgencyFactory()
    with pytest.raises(PermissionDenied):
        power_item_create(actor=admin_of(other), agency=agency, code="A", content=CONTENT)
    assert not PowerItem.objects.exists()
    assert LedgerEntry.objects.filter(act="auth.permission_denied").exists()


def test_given_a_county_officer_then_the_province_catalog_is_readable_but_not_a_sibling():
    province = AgencyFactory(province=True)
    county, sibling = AgencyFactory(parent=province), AgencyFactory(parent=province)
    user = officer_of(county)
    assert policies.can(user, "view", PowerItem(agency=province))
    assert not policies.can(user, "view", PowerItem(agency=sibling))


def test_given_a_published_item_when_revised_then_a_new_version_and_history_with_old_and_new_values():
    agency = AgencyFactory()
    admin = admin_of(agency)
    v1 = power_item_create(actor=admin, agency=agency, code="A", content=CONTENT)
    power_item_publish(actor=admin, item=v1, valid_from=datetime.date(2024, 1, 1))
    v2 = power_item_revise(actor=admin, item=v1, content={"duties": "新职责"})
    assert (v2.version, v2.status, v2.duties) == (2, "draft", "新职责")
    v1.refresh_from_db()
    assert v1.duties == "" and v1.status == "published"
    entry = LedgerEntry.objects.filter(act="catalog.power_revise").get()
    assert '"duties":{"new":"新职责","old":""}' in entry.payload
    with pytest.raises(Conflict):
        power_item_revise(actor=admin, item=v1, content={"duties": "again"})
    power_item_publish(actor=admin, item=v2, valid_from=datetime.date(2025, 1, 1))
    v1.refresh_from_db()
    assert v1.valid_until == datetime.date(2025, 1, 1)


def test_given_a_duplicate_code_then_refused():
    agency = AgencyFactory()
    power_item_create(actor=None, agency=agency, code="A", content=CONTENT)
    with pytest.raises(Conflict) as exc:
        power_item_create(actor=None, agency=agency, code="A", content=CONTENT)
    assert exc.value.code == "catalog.duplicate_code"
