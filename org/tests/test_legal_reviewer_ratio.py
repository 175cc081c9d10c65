"""Legal reviewers ≥ a configurable share of enforcement staff (default 5%, 118号 / seed 002)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.errors import PermissionDenied, ValidationFailed
from core.models import LedgerEntry, LegalSetting
from org import selectors, services
from org.mfa import force_login_verified
from org.roles import Role
from org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def staff(agency, officers, reviewers=0, **extra):
    for _ in range(officers):
        OfficerFactory(agency=agency, roles=[Role.OFFICER], with_department=False, **extra)
    for _ in range(reviewers):
        OfficerFactory(agency=agency, roles=[Role.LEGAL_REVIEWER], with_department=False, **extra)


def test_given_fresh_database_then_ratio_seeded_at_five_percent():
    setting = LegalSetting.objects.get(key=selectors.LEGAL_REVIEWER_MIN_RATIO_KEY)
    assert Decimal(str(setting.value)) == Decimal("0.05") and "118" in setting.basis
    assert selectors.legal_reviewer_min_ratio() == Decimal("0.05")


def test_given_19_officers_and_1_reviewer_then_ok_exactly_at_five_percent(tree):
    staff(tree["county"], officers=19, reviewers=1)
    ratio, required, ok = selectors.legal_reviewer_ratio(agency=tree["county"])
    assert (ratio, required, ok) == (Decimal("0.05"), 1, True)


def test_given_20_officers_and_1_reviewer_then_two_required_and_short(tree):
    staff(tree["county"], officers=20, reviewers=1)
    result = selectors.legal_reviewer_ratio(agency=tree["county"])
    assert result.required == 2 and not result.ok and result.staff == 21 and result.reviewers == 1


def test_given_no_enforcement_staff_then_ok_and_ratio_none(tree):
    OfficerFactory(agency=tree["county"], roles=[Role.SYSTEM_ADMIN])
    ratio, required, ok = selectors.legal_reviewer_ratio(agency=tree["county"])
    assert ratio is None and required == 0 and ok


def test_given_auxiliary_inactive_and_administrators_then_not_counted(tree):
    staff(tree["county"], officers=3, reviewers=1)
    staff(tree["county"], officers=5, is_auxiliary=True)
    staff(tree["county"], officers=5, active=False)
    OfficerFactory(agency=tree["county"], roles=[Role.SECURITY_ADMIN])
    staff(tree["sibling"], officers=30)
    result = selectors.legal_reviewer_ratio(agency=tree["county"])
    assert (result.staff, result.reviewers, result.required, result.ok) == (4, 1, 1, True)


def test_given_invalid_stored_value_then_default_applies(tree):
    LegalSetting.objects.filter(key=selectors.LEGAL_REVIEWER_MIN_RATIO_KEY).update(value="lots")
    assert selectors.legal_reviewer_min_ratio() == Decimal("0.05")
    LegalSetting.objects.filter(key=selectors.LEGAL_REVIEWER_MIN_RATIO_KEY).update(value=7)
    assert selectors.legal_reviewer_min_ratio() == Decimal("0.05")


def test_given_system_admin_when_ratio_raised_then_stored_recorded_and_applied(tree, system_admin):
    staff(tree["county"], officers=9, reviewers=1)
    assert selectors.legal_reviewer_ratio(agency=tree["county"]).ok
    services.legal_reviewer_min_ratio_set(actor=system_admin, ratio=Decimal("0.2"))
    assert selectors.legal_reviewer_min_ratio() == Decimal("0.2")
    entry = LedgerEntry.objects.get(act="org.legal_setting_changed")
    assert '"old":"0.05"' in entry.payload and '"new":"0.2"' in entry.payload
    result = selectors.legal_reviewer_ratio(agency=tree["county"])
    assert result.required == 2 and not result.ok


@pytest.mark.parametrize("bad", ["1.5", "-0.1", "abc", "0.123456"])
def test_given_bad_ratio_when_set_then_chinese_error_and_nothing_saved(system_admin, bad):
    with pytest.raises(ValidationFailed) as exc:
        services.legal_reviewer_min_ratio_set(actor=system_admin, ratio=bad)
    assert "0 到 1" in exc.value.message and "ratio" in exc.value.field_errors
    assert selectors.legal_reviewer_min_ratio() == Decimal("0.05")
    assert not LedgerEntry.objects.filter(act="org.legal_setting_changed").exists()


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.HEAD, Role.SUPERVISOR])
def test_given_not_system_admin_when_ratio_set_then_denied_and_recorded(tree, role):
    user = OfficerFactory(agency=tree["county"], roles=[role]).user
    with pytest.raises(PermissionDenied):
        services.legal_reviewer_min_ratio_set(actor=user, ratio="0.1")
    assert selectors.legal_reviewer_min_ratio() == Decimal("0.05")
    assert LedgerEntry.objects.filter(act="auth.permission_denied", actor_id=user.pk).exists()


def test_given_agency_short_of_reviewers_then_detail_page_warns(client, tree):
    staff(tree["county"], officers=25, reviewers=1)
    head = OfficerFactory(agency=tree["county"], roles=[Role.HEAD]).user
    force_login_verified(client, head)
    page = client.get(reverse("org:agency_detail", args=[tree["county"].pk])).content.decode()
    assert "notice-warning" in page and "法制审核人员不足" in page and "5%" in page


def test_given_agency_with_enough_reviewers_then_no_warning(client, tree):
    staff(tree["county"], officers=10, reviewers=1)
    head = OfficerFactory(agency=tree["county"], roles=[Role.HEAD]).user
    force_login_verified(client, head)
    page = client.get(reverse("org:agency_detail", args=[tree["county"].pk])).content.decode()
    assert "法制审核人员不足" not in page


def test_given_system_admin_when_ratio_changed_on_screen_then_saved(client, system_admin):
    force_login_verified(client, system_admin)
    url = reverse("org:legal_reviewer_ratio")
    assert client.get(url).status_code == 200
    assert client.post(url, {"ratio": "2"}).status_code == 400
    assert client.post(url, {"ratio": "0.08"}).status_code == 302
    assert selectors.legal_reviewer_min_ratio() == Decimal("0.08")


def test_given_supervisor_when_ratio_posted_then_403_recorded(client, tree):
    supervisor = OfficerFactory(agency=tree["city"], roles=[Role.SUPERVISOR]).user
    force_login_verified(client, supervisor)
    assert client.post(reverse("org:legal_reviewer_ratio"), {"ratio": "0.01"}).status_code == 403
    assert selectors.legal_reviewer_min_ratio() == Decimal("0.05")
    assert LedgerEntry.objects.filter(act="auth.permission_denied", actor_id=supervisor.pk).exists()
