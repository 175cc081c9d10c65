from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from core.testing import evidence_dir  # noqa: F401  (fixture)
from org.roles import Role
from org.tests.factories import AgencyFactory, DepartmentFactory, OfficerFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
USCC = "91360722MA35XXXX0K"


@pytest.fixture(autouse=True)
def _fresh(evidence_dir):  # noqa: F811
    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    agency: Any
    head: Any
    clerk: Any
    colleague: Any
    uncertified: Any
    outsider: Any
    kind: Any
    temp_kind: Any


@pytest.fixture
def world(db) -> World:
    from service.models import LicenceKind

    agency = AgencyFactory(name="信丰县自然资源局")
    dept = DepartmentFactory(agency=agency, name="行政审批科")
    return World(
        agency=agency,
        head=OfficerFactory(
            agency=agency,
            with_department=False,
            department=None,
            roles=[Role.HEAD, Role.OFFICER],
            name="王局长",
            certified_fields=["planning", "land", "mineral"],
        ),
        clerk=OfficerFactory(
            agency=agency, department=dept, name="何审批", certified_fields=["planning", "land", "mineral"]
        ),
        colleague=OfficerFactory(
            agency=agency, department=dept, name="林同事", certified_fields=["planning", "land", "mineral"]
        ),
        uncertified=OfficerFactory(agency=agency, department=dept, name="无证员"),
        outsider=OfficerFactory(name="外局员", certified_fields=["planning"]),
        kind=LicenceKind.objects.get(code="construction_project_planning"),
        temp_kind=LicenceKind.objects.get(code="temporary_land"),
    )


def submit(world: World, actor: Any = None, **overrides: Any) -> Any:
    from service.services import application_submit

    kwargs: dict[str, Any] = {
        "agency_id": world.agency.pk,
        "kind_id": world.kind.pk,
        "applicant_name": "信丰县某某建材有限公司",
        "applicant_id_number": USCC,
        "applicant_phone": "13800000001",
        "applicant_email": "jc@example.com",
        "applicant_address": "信丰县嘉定镇工业园8号",
        "project": "厂房扩建工程",
        "location": "嘉定镇工业园8号",
    }
    kwargs.update(overrides)
    return application_submit(actor=actor, **kwargs)


def terms(**overrides: Any) -> dict[str, Any]:
    today = datetime.date.today()
    data: dict[str, Any] = {
        "valid_from": today,
        "valid_until": today + datetime.timedelta(days=365),
        "conditions": "按批准的设计方案建设",
        "risk_level": "high",
    }
    data.update(overrides)
    return data


def png(name: str = "plan.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")
