"""Given the system administrator's screens and the applicant's progress page, when people use them,
then licence kinds and supervision frequencies change only through the services (ledger acts, Chinese
errors on the fields), the applicant downloads the sealed notices with the tracking code (recorded as
delivered online), the officer records other deliveries, refusals appear masked on the portal and the
head ends a licence from its page."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.errors import PermissionDenied, ValidationFailed
from core.models import LedgerEntry
from org.mfa import force_login_verified
from org.roles import Role
from org.tests.factories import OfficerFactory
from service import selectors, services
from service.models import DeliveryMethod, LicenceKind, LicenceStatus, NoticeDelivery, SupervisionFrequency
from service.tests.conftest import submit, terms

pytestmark = pytest.mark.django_db

PERSON_ID = "360722199001011234"


@pytest.fixture
def admin(world):
    return OfficerFactory(agency=world.agency, roles=[Role.SYSTEM_ADMIN], name="系统管理员").user


def test_system_administrator_creates_and_changes_a_kind(world, admin, client: Client):
    force_login_verified(client, admin)
    assert client.get(reverse("service:kinds")).status_code == 200
    url = reverse("service:kind_new")
    bad = client.post(url, {"code": "Bad Code", "name": "", "field_code": "land", "active": "on"})
    text = bad.content.decode()
    assert bad.status_code == 400 and "小写字母" in text
    ok = client.post(
        url,
        {"code": "land_reclamation", "name": "土地复垦方案审查", "field_code": "land",
         "validity_months": "36", "basis": "《土地复垦条例》", "active": "on"},
    )  # fmt: skip
    assert ok.status_code == 302
    kind = LicenceKind.objects.get(code="land_reclamation")
    created = LedgerEntry.objects.get(act="licence_kind.create", object_id=str(kind.pk))
    assert json.loads(created.payload)["new"]["name"] == "土地复垦方案审查"
    edit = reverse("service:kind", args=[kind.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit, {"code": "other", "name": "土地复垦方案审查", "field_code": "land", "validity_months": "24"}
    )
    assert response.status_code == 302
    kind.refresh_from_db()
    assert kind.code == "land_reclamation" and kind.validity_months == 24 and not kind.active
    change = json.loads(LedgerEntry.objects.get(act="licence_kind.change").payload)
    assert change["old"]["active"] is True and change["new"]["active"] is False
    assert kind not in selectors.licence_kinds()  # no longer offered to applicants


def test_kind_rules_are_refused_field_by_field(world, admin):
    with pytest.raises(ValidationFailed) as exc:
        services.licence_kind_save(
            actor=admin, code="mining", name="建设工程规划许可证", field_code="astrology",
            power_code="NOPE-1", validity_months=900,
        )  # fmt: skip
    assert set(exc.value.field_errors) == {"code", "name", "field_code", "power_code", "validity_months"}


def test_only_the_system_administrator_edits_the_configuration(world, client: Client):
    with pytest.raises(PermissionDenied):
        services.supervision_frequency_set(actor=world.head.user, risk_level="high", interval_days=30)
    with pytest.raises(PermissionDenied):
        services.licence_kind_save(actor=world.clerk.user, code="x_kind", name="某许可", field_code="land")
    client.force_login(world.head.user)
    page = client.get(reverse("service:frequencies")).content.decode()
    assert "90" in page and "<form" not in page.split('id="frequencies"')[1]
    response = client.post(reverse("service:frequencies"), {"risk_level": "high", "high-interval_days": "30"})
    assert response.status_code == 403 and "系统管理员" in response.content.decode()


def test_frequencies_keep_riskier_licences_inspected_at_least_as_often(world, admin, client: Client):
    force_login_verified(client, admin)
    url = reverse("service:frequencies")
    bad = client.post(url, {"risk_level": "high", "high-interval_days": "400"})
    assert bad.status_code == 400 and "风险" in bad.content.decode()
    assert SupervisionFrequency.objects.get(risk_level="high").interval_days == 90
    assert client.post(url, {"risk_level": "high", "high-interval_days": "60"}).status_code == 302
    assert selectors.supervision_interval("high") == 60
    entry = json.loads(LedgerEntry.objects.get(act="supervision_frequency.change").payload)
    assert entry == {"risk_level": "high", "old": 90, "new": 60}


def test_applicant_downloads_notices_with_the_code_and_officer_records_deliveries(world, client: Client):
    app = submit(world)
    services.application_take(actor=world.clerk.user, application=app)
    services.application_request_correction(actor=world.clerk.user, application=app, missing=["总平面图"])
    services.application_accept(actor=world.clerk.user, application=app)
    track = client.get(reverse("service_public:track"), {"code": app.tracking_code})
    text = track.content.decode()
    notices = selectors.public_notices(app)
    assert [d.kind for d in notices] == ["licence_correction", "licence_acceptance"]
    for d in notices:
        assert reverse("service_public:notice", args=[d.pk]) in text
    url = reverse("service_public:notice", args=[notices[1].pk])
    assert client.get(url, {"code": "WRONG-CODE-XXXX"}).status_code == 404
    pdf = client.get(url, {"code": app.tracking_code})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    client.get(url, {"code": app.tracking_code})
    online = NoticeDelivery.objects.filter(method=DeliveryMethod.ONLINE)
    assert online.count() == 1 and online.get().document_id == notices[1].pk
    assert LedgerEntry.objects.filter(act="notice.downloaded").count() == 1

    officer = Client()
    officer.force_login(world.clerk.user)
    page = reverse("service:application", args=[app.pk])
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    bad = officer.post(page, {"action": "delivery", "document": notices[0].pk, "method": "window",
                              "delivered_on": future})  # fmt: skip
    assert bad.status_code == 400
    today = timezone.localdate().isoformat()
    ok = officer.post(page, {"action": "delivery", "document": notices[0].pk, "method": "post",
                             "delivered_on": today, "note": "EMS 1234"})  # fmt: skip
    assert ok.status_code == 302
    assert "EMS 1234" in officer.get(page).content.decode()
    assert LedgerEntry.objects.filter(act="notice.delivery").count() == 1


def test_refusals_are_published_masked(world, client: Client):
    app = submit(world, applicant_name="刘某某", applicant_id_number=PERSON_ID, applicant_phone="13912345678",
                 applicant_address="信丰县嘉定镇某路1号", project="自建住房")  # fmt: skip
    services.application_take(actor=world.clerk.user, application=app)
    services.application_accept(actor=world.clerk.user, application=app)
    services.application_decide(
        actor=world.clerk.user, application=app, grant=False,
        reason="刘某某（电话13912345678）拟建住房位于永久基本农田内，不符合国土空间规划",
    )  # fmt: skip
    page = client.get(reverse("service_public:refusals")).content.decode()
    assert "不符合国土空间规划" in page and "自建住房" in page and "刘某" in page
    for secret in ("刘某某", "13912345678", PERSON_ID):
        assert secret not in page
    assert reverse("service_public:refusals") in client.get(reverse("service_public:index")).content.decode()


def test_head_revokes_from_the_licence_page(world, client: Client):
    app = submit(world)
    services.application_take(actor=world.clerk.user, application=app)
    services.application_accept(actor=world.clerk.user, application=app)
    services.application_decide(actor=world.clerk.user, application=app, grant=True, terms=terms())
    licence = services.application_issue(actor=world.clerk.user, application=app)
    url = reverse("service:licence", args=[licence.pk])
    client.force_login(world.clerk.user)
    assert 'id="end-licence"' not in client.get(url).content.decode()
    assert client.post(url, {"action": "end", "how": "revoke", "reason": "虚假材料"}).status_code == 400
    client.force_login(world.head.user)
    assert 'id="end-licence"' in client.get(url).content.decode()
    empty = client.post(url, {"action": "end", "how": "revoke", "reason": ""})
    assert empty.status_code == 400
    done = client.post(url, {"action": "end", "how": "revoke", "reason": "以欺骗手段取得许可"})
    assert done.status_code == 302
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED
    page = client.get(url).content.decode()
    assert "撤销行政许可决定书" in page and "以欺骗手段取得许可" in page
    public = client.get(reverse("service_public:licences")).content.decode()
    assert licence.number in public and "已撤销" in public


def test_officer_runs_the_hearing_steps_from_the_application_page(world, client: Client):
    app = submit(world)
    services.application_take(actor=world.clerk.user, application=app)
    services.application_accept(actor=world.clerk.user, application=app)
    client.force_login(world.clerk.user)
    url = reverse("service:application", args=[app.pk])
    assert 'id="hearing-notify"' in client.get(url).content.decode()
    assert client.post(url, {"action": "hearing_notify", "hearing_reason": ""}).status_code == 400
    assert (
        client.post(url, {"action": "hearing_notify", "hearing_reason": "涉及相邻权利人重大利益"}).status_code
        == 302
    )
    hearing = app.hearings.get()
    assert client.post(url, {"action": "hearing_request", "hearing": "999999"}).status_code == 400
    response = client.post(
        url, {"action": "hearing_request", "hearing": hearing.pk, "requested_by": "相邻住户张某"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'id="hearing-schedule"' in page and "相邻住户张某" in page and "行政许可听证告知书" in page
    track = client.get(reverse("service_public:track"), {"code": app.tracking_code}).content.decode()
    assert 'id="hearing-status"' in track and "已申请听证" in track
