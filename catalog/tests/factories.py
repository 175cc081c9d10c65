"""Factories for catalog tests: actors with roles, and a published Shaanxi-style standard.

admin_of(agency)                         # system administrator of `agency`
officer_of(agency, roles=[Role.OFFICER])
occupation_standard(agency=..., actor=..., effective_from=..., scale=1)   # published, via services
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory

from catalog.models import LegalProvision
from catalog.services import discretion_standard_create, discretion_standard_publish
from org.roles import Role
from org.tests.factories import AgencyFactory, OfficerFactory


class LegalProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalProvision

    law_name = "土地管理法"
    article = factory.Sequence(lambda n: 100 + n)
    text = "条文"


def admin_of(agency: Any) -> Any:
    return OfficerFactory(agency=agency, roles=[Role.SYSTEM_ADMIN]).user


def officer_of(agency: Any, roles: list[str] | None = None) -> Any:
    return OfficerFactory(agency=agency, roles=roles if roles is not None else [Role.OFFICER]).user


OCCUPATION_BOUNDS = {"basic_farmland": (5, 10), "farmland": (10, 20), "other": (20, 40)}


def occupation_fields(**overrides: Any) -> dict[str, Any]:
    fields = {
        "code": "illegal_occupation",
        "violation_name": "非法占用土地",
        "power_code": "ZR-CF-001",
        "effective_from": datetime.date(2021, 9, 1),
        "is_sample": True,
        "dimension": "area_mu",
        "land_classes": ["basic_farmland", "farmland", "other"],
        "legal_kind": "per_m2",
        "legal_min": Decimal(100),
        "legal_max": Decimal(1000),
        "basis": "《土地管理法》第77条；《土地管理法实施条例》第57条",
    }
    return fields | overrides


def occupation_tiers(
    bands: tuple[tuple[int, int], ...] = ((100, 300), (300, 600), (600, 1000)),
) -> list[dict[str, Any]]:
    tiers = []
    for cls, (a, b) in OCCUPATION_BOUNDS.items():
        for name, low, high, (pmin, pmax) in zip(
            ("轻微", "一般", "严重"), (0, a, b), (a, b, None), bands, strict=True
        ):
            tiers.append(
                {
                    "name": name,
                    "order": len(tiers),
                    "land_classes": [cls],
                    "range_min": low,
                    "range_max": high,
                    "penalty_kind": "per_m2",
                    "penalty_min": pmin,
                    "penalty_max": pmax,
                }
            )
    return tiers


def occupation_standard(
    *,
    agency: Any = None,
    actor: Any = None,
    effective_from: datetime.date | None = None,
    bands: tuple[tuple[int, int], ...] | None = None,
) -> Any:
    agency = agency or AgencyFactory()
    fields = occupation_fields(**({"effective_from": effective_from} if effective_from else {}))
    standard = discretion_standard_create(
        actor=actor,
        agency=agency,
        fields=fields,
        tiers=occupation_tiers(bands) if bands else occupation_tiers(),
    )
    return discretion_standard_publish(actor=actor, standard=standard)
