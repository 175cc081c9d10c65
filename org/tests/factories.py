"""factory_boy factories for org. Other apps' tests import these; keep the signatures stable.

    AgencyFactory(level=..., parent=...)          # code/name unique; path maintained
    DepartmentFactory(agency=...)
    OfficerFactory(agency=..., roles=[Role.OFFICER], certified_fields=["land"])
    CertificateFactory(officer=..., fields=["land"], status=..., expires_on=...)

`roles` defaults to [Role.OFFICER]; pass `roles=[]` for none. `certified_fields` (codes of
EnforcementField, seeded by migration: land, mineral, surveying, geological_environment, planning,
marine, forestry) gives the officer one valid certificate covering them (default: none).
"""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from org.groups import sync_user_groups
from org.models import (
    Agency,
    AgencyLevel,
    Certificate,
    CertificateStatus,
    Department,
    DepartmentKind,
    EnforcementField,
    LegalQualification,
    Officer,
    RoleAssignment,
    User,
)
from org.roles import Role


def enforcement_field(code: str) -> EnforcementField:
    field, _ = EnforcementField.objects.get_or_create(code=code, defaults={"name": code})
    return field


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("Zhifa-test-2026!")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试县自然资源局{n}")
    short_name = factory.Sequence(lambda n: f"测{n}")
    code = factory.Sequence(lambda n: f"AG{n:04d}")
    level = AgencyLevel.COUNTY
    parent = None
    region_code = "330000"
    address = "测试路1号"
    phone = "0571-00000000"

    @factory.post_generation
    def _path(obj: Agency, create: bool, extracted: object, **kwargs: object) -> None:
        if not create:
            return
        prefix = obj.parent.path if obj.parent_id else "/"
        obj.path = f"{prefix}{obj.pk}/"
        Agency.objects.filter(pk=obj.pk).update(path=obj.path)

    class Params:
        province = factory.Trait(level=AgencyLevel.PROVINCE)
        city = factory.Trait(level=AgencyLevel.CITY)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"执法监察大队{n}")
    kind = DepartmentKind.ENFORCEMENT_BRIGADE


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    department = factory.LazyAttribute(
        lambda o: DepartmentFactory(agency=o.agency) if o.with_department else None
    )
    name = factory.Sequence(lambda n: f"执法员{n}")
    title = "科员"
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    is_auxiliary = False

    class Params:
        with_department = True

    @factory.post_generation
    def roles(obj: Officer, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if not create:
            return
        roles = [Role.OFFICER] if extracted is None else list(extracted)
        now = timezone.now()
        for role in roles:
            RoleAssignment.objects.get_or_create(officer=obj, role=role, defaults={"granted_at": now})
        sync_user_groups(obj.user, roles)

    @factory.post_generation
    def certified_fields(obj: Officer, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            CertificateFactory(officer=obj, fields=list(extracted))


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"ZF{n:08d}")
    officer = factory.SubFactory(OfficerFactory)
    issuing_body = "测试省人民政府"
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=3 * 365))
    status = CertificateStatus.VALID

    @factory.post_generation
    def fields(obj: Certificate, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if not create:
            return
        codes = ["land"] if extracted is None else list(extracted)
        obj.fields.set([enforcement_field(c) for c in codes])


class LegalQualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalQualification

    officer = factory.SubFactory(OfficerFactory)
    certificate_number = factory.Sequence(lambda n: f"A2020{n:09d}")
    obtained_on = datetime.date(2020, 3, 1)
