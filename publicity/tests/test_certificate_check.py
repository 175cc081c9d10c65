"""事中公示: a party checks an officer's certificate by number; a QR code per certificate."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from org.tests.factories import CertificateFactory, OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()


def check(number):
    return Client().get(reverse("publicity:certificate_check"), {"number": number})


def test_valid_certificate(certificate):
    response = check(" 豫zf41018300001 ")
    body = response.content.decode()
    assert response.status_code == 200
    assert "赵执法" in body and "有效" in body and "土地管理" in body
    assert "13999990000" not in body and certificate.officer.user.username not in body
    assert response["Cache-Control"] == "no-store"


def test_expired_certificate(agency):
    officer = OfficerFactory(agency=agency, name="过期者")
    today = datetime.date.today()
    CertificateFactory(
        officer=officer,
        number="ZFOLD1",
        issued_on=today.replace(year=today.year - 4),
        expires_on=today - datetime.timedelta(days=1),
    )
    assert "已过期" in check("ZFOLD1").content.decode()


def test_revoked_certificate(agency):
    CertificateFactory(officer=OfficerFactory(agency=agency), number="ZFREV1", status="revoked")
    assert "已吊销" in check("ZFREV1").content.decode()


def test_unknown_certificate(db):
    body = check("ZF-NOPE").content.decode()
    assert "无效" in body


def test_partial_numbers_do_not_enumerate(certificate):
    body = check("豫ZF4101830").content.decode()
    assert "赵执法" not in body


def test_qr_code_svg(certificate):
    response = Client().get(reverse("publicity:certificate_qr", args=[certificate.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_qr_for_unknown_number_is_404(db):
    assert Client().get(reverse("publicity:certificate_qr", args=["NOPE"])).status_code == 404


def test_checks_are_throttled(certificate):
    client = Client()
    statuses = [
        client.get(reverse("publicity:certificate_check"), {"number": "X1"}).status_code for _ in range(25)
    ]
    assert statuses[0] == 200 and statuses[-1] == 429
