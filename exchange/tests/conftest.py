"""The exchange tests' world: a city and its county with heads, officers and a supervisor above."""

from __future__ import annotations

from typing import Any

import pytest

from cases.tests.factories import World
from org.roles import Role
from org.tests.factories import AgencyFactory, OfficerFactory


@pytest.fixture
def w(db) -> Any:
    city = AgencyFactory(name="某市自然资源和规划局", level="city", code="CITY01")
    county = AgencyFactory(name="某县自然资源局", parent=city, code="CNTY01")
    head = OfficerFactory(
        agency=county, roles=[Role.HEAD, Role.OFFICER], certified_fields=["land"], phone="13800000001"
    )
    world = World(
        agency=county,
        head=head,
        officer1=OfficerFactory(agency=county, certified_fields=["land"]),
        officer2=OfficerFactory(agency=county, certified_fields=["land"]),
        chair=OfficerFactory(agency=county, certified_fields=["land"]),
        outsider=OfficerFactory(certified_fields=["land"]),
    )
    world.city = city  # type: ignore[attr-defined]
    world.supervisor = OfficerFactory(agency=city, roles=[Role.SUPERVISOR])  # type: ignore[attr-defined]
    world.city_head = OfficerFactory(agency=city, roles=[Role.HEAD])  # type: ignore[attr-defined]
    return world
