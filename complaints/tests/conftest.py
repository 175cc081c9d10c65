from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from core.testing import evidence_dir  # noqa: F401  (fixture)
from org.roles import Role
from org.tests.factories import AgencyFactory, CertificateFactory, DepartmentFactory, OfficerFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRETS = ("王小明", "13812345678", "wxm@example.com")


@pytest.fixture(autouse=True)
def _fresh(evidence_dir):  # noqa: F811
    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    agency: Any
    intake_dept: Any
    other_dept: Any
    subject_dept: Any
    head: Any
    intake: Any
    colleague: Any
    subject: Any
    subject_colleague: Any
    outsider: Any
    certificate: Any


@pytest.fixture
def world(db) -> World:
    agency = AgencyFactory(name="新密市自然资源局")
    intake_dept = DepartmentFactory(agency=agency, name="法规科")
    other_dept = DepartmentFactory(agency=agency, name="执法监察一中队")
    subject_dept = DepartmentFactory(agency=agency, name="执法监察二中队")
    subject = OfficerFactory(agency=agency, department=subject_dept, name="赵执法")
    return World(
        agency=agency,
        intake_dept=intake_dept,
        other_dept=other_dept,
        subject_dept=subject_dept,
        head=OfficerFactory(
            agency=agency,
            department=None,
            with_department=False,
            roles=[Role.HEAD, Role.OFFICER],
            name="局长",
        ),
        intake=OfficerFactory(agency=agency, department=intake_dept, name="首问员"),
        colleague=OfficerFactory(agency=agency, department=other_dept, name="钱同事"),
        subject=subject,
        subject_colleague=OfficerFactory(agency=agency, department=subject_dept, name="孙同队"),
        outsider=OfficerFactory(name="外局员"),
        certificate=CertificateFactory(officer=subject, number="豫ZF41018300009"),
    )


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def form_data(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "agency": world.agency.pk,
        "category": "violation",
        "description": "城关镇东村三组有人在耕地上建房，已建到二层。",
        "location": "城关镇东村三组",
        "contact_name": SECRETS[0],
        "contact_phone": SECRETS[1],
        "contact_email": SECRETS[2],
    }
    data.update(overrides)
    return data


def submit(world: World, **overrides: Any) -> Any:
    from complaints.services import complaint_submit

    kwargs: dict[str, Any] = {
        "agency_id": world.agency.pk,
        "category": "violation",
        "description": "城关镇东村三组有人在耕地上建房。",
        "location": "城关镇东村三组",
        "contact_name": SECRETS[0],
        "contact_phone": SECRETS[1],
        "contact_email": SECRETS[2],
    }
    kwargs.update(overrides)
    return complaint_submit(actor=None, **kwargs)
