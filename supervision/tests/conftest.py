from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from cases.tests.factories import World
from core.testing import evidence_dir, key_dir  # noqa: F401  (fixtures)
from org.roles import Role
from org.tests.factories import AgencyFactory, DepartmentFactory, OfficerFactory


@pytest.fixture(autouse=True)
def _document_files(key_dir, evidence_dir):  # noqa: F811
    """Case acts issue documents (PDF in the store, signed with the agency key): both in tmp_path."""
    return key_dir, evidence_dir


@dataclass
class Sup:
    """A county bureau (with the cases world's head and officers), its city above, a sibling county."""

    city: Any
    county: Any
    sibling: Any
    world: Any
    dept1: Any
    dept2: Any
    supervisor: Any
    city_head: Any
    reviewer: Any
    sibling_head: Any


@pytest.fixture
def sup(db) -> Sup:
    city = AgencyFactory(name="某市自然资源和规划局", level="city")
    county = AgencyFactory(name="某县自然资源局", parent=city)
    world = World(
        agency=county,
        head=OfficerFactory(
            agency=county, roles=[Role.HEAD, Role.OFFICER], certified_fields=["land"], name="县局长"
        ),
        officer1=OfficerFactory(agency=county, certified_fields=["land"], name="李执法"),
        officer2=OfficerFactory(agency=county, certified_fields=["land"], name="王执法"),
        chair=OfficerFactory(agency=county, certified_fields=["land"], name="赵主持"),
        outsider=OfficerFactory(certified_fields=["land"]),
    )
    dept1 = DepartmentFactory(agency=county, name="执法一中队")
    dept2 = DepartmentFactory(agency=county, name="执法二中队")
    for officer, dept in ((world.officer1, dept1), (world.officer2, dept2), (world.chair, dept2)):
        officer.department = dept
        officer.save()
    sibling = AgencyFactory(name="邻县自然资源局", parent=city)
    return Sup(
        city=city,
        county=county,
        sibling=sibling,
        world=world,
        dept1=dept1,
        dept2=dept2,
        supervisor=OfficerFactory(agency=city, roles=[Role.SUPERVISOR], name="市局督查"),
        city_head=OfficerFactory(agency=city, roles=[Role.HEAD], name="市局长"),
        reviewer=OfficerFactory(agency=county, roles=[Role.LEGAL_REVIEWER], name="法制员"),
        sibling_head=OfficerFactory(agency=sibling, roles=[Role.HEAD], name="邻县局长"),
    )
