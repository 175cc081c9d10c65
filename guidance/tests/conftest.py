from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache

from core.testing import evidence_dir, key_dir  # noqa: F401  (fixtures)
from org.roles import Role
from org.tests.factories import AgencyFactory, DepartmentFactory, OfficerFactory


@pytest.fixture(autouse=True)
def _fresh(evidence_dir, key_dir):  # noqa: F811
    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    agency: Any
    head: Any
    officer: Any
    colleague: Any
    reviewer: Any
    outsider: Any


@pytest.fixture
def world(db) -> World:
    agency = AgencyFactory(name="新密市自然资源局", short_name="新密自然资")
    dept = DepartmentFactory(agency=agency, name="执法监察大队")
    return World(
        agency=agency,
        head=OfficerFactory(
            agency=agency,
            department=None,
            with_department=False,
            roles=[Role.HEAD, Role.OFFICER],
            name="王局长",
        ),
        officer=OfficerFactory(agency=agency, department=dept, name="张执法"),
        colleague=OfficerFactory(agency=agency, department=dept, name="李同事"),
        reviewer=OfficerFactory(agency=agency, department=dept, roles=[Role.LEGAL_REVIEWER], name="赵法制"),
        outsider=OfficerFactory(name="外局员"),
    )
