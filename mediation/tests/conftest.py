from __future__ import annotations

import datetime
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
    mediator: Any
    colleague: Any
    outsider: Any


@pytest.fixture
def world(db) -> World:
    agency = AgencyFactory(name="新密市自然资源局", short_name="新密自然资")
    dept = DepartmentFactory(agency=agency, name="法规科")
    return World(
        agency=agency,
        head=OfficerFactory(
            agency=agency,
            department=None,
            with_department=False,
            roles=[Role.HEAD, Role.OFFICER],
            name="王局长",
        ),
        mediator=OfficerFactory(agency=agency, department=dept, name="张调解"),
        colleague=OfficerFactory(agency=agency, department=dept, name="李同事"),
        outsider=OfficerFactory(name="外局员"),
    )


APPLICANT = {
    "name": "张某某",
    "id_number": "330102199001011234",
    "address": "城关镇东村3组",
    "phone": "13812345678",
}
RESPONDENT = {"name": "东村村民委员会", "representative": "李某某", "representative_role": "法定代表人"}


def apply(world: World, actor: Any = "head", **overrides: Any) -> Any:
    from mediation.services import mediation_apply

    user = world.head.user if actor == "head" else actor
    kwargs: dict[str, Any] = {
        "agency_id": world.agency.pk,
        "kind": "land_use",
        "channel": "window" if user is not None else "online",
        "summary": "双方对东村3组宅基地东侧约120平方米土地的使用权有争议。",
        "request": "确认争议土地由申请人使用。",
        "location": "城关镇东村3组",
        "applicant": dict(APPLICANT),
        "respondent": dict(RESPONDENT),
    }
    kwargs.update(overrides)
    return mediation_apply(actor=user, **kwargs)


def accepted(world: World) -> Any:
    from mediation.services import mediation_accept

    return mediation_accept(actor=world.head.user, mediation=apply(world), mediator_id=world.mediator.pk)


def in_session(world: World) -> Any:
    from mediation.services import mediation_session_record

    m = accepted(world)
    mediation_session_record(
        actor=world.mediator.user,
        mediation=m,
        held_on=datetime.date.today(),
        place="局调解室",
        attendees="张某某；李某某（村委会法定代表人）；调解人张调解；记录人李同事",
        record="申请人称东侧土地一直由其使用；被申请人称该地为村集体预留地。经调解，双方同意东侧土地各半。",
    )
    m.refresh_from_db()
    return m
