"""Agencies and departments: written by the system administrator (等保 三员分立)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from org import policies
from org.models import LEVEL_RANK, Agency, AgencyLevel, Department, DepartmentKind
from org.services._common import UNSET, Problems, Unset, changes, record, snapshot

AGENCY_FIELDS = ["name", "short_name", "code", "level", "parent", "region_code", "duties", "address",
                 "phone", "active"]
DEPARTMENT_FIELDS = ["agency", "name", "kind", "active"]


def _check_agency(problems: Problems, *, name: str, code: str, level: str, parent: Agency | None,
                  exclude_pk: int = 0) -> None:
    if not name.strip():
        problems.add("name", _("The agency name is required."))
    if not code.strip():
        problems.add("code", _("The agency code is required."))
    elif Agency.objects.filter(code=code.strip()).exclude(pk=exclude_pk).exists():
        problems.add("code", _("Agency code %(code)s is already used; each agency has its own code.")
                     % {"code": code})
    if level not in AgencyLevel.values:
        problems.add("level", _("Unknown agency level “%(level)s”; choose province, city or county.")
                     % {"level": level})
    elif parent is not None and LEVEL_RANK[parent.level] >= LEVEL_RANK[level]:
        problems.add("parent", _(
            "A %(level)s agency cannot sit under %(parent)s (a %(parent_level)s agency): the parent must "
            "be at a higher level (province → city → county)."
        ) % {"level": AgencyLevel(level).label, "parent": parent.name,
             "parent_level": AgencyLevel(parent.level).label})


def agency_create(
    *, actor: Any, name: str, code: str, level: str, parent: Agency | None = None, short_name: str = "",
    region_code: str = "", duties: str = "", address: str = "", phone: str = "",
) -> Agency:
    """Create an agency under `parent` (whose level must be higher): the system administrator's act."""
    policies.ensure(actor, "create_agency", parent)
    problems = Problems()
    _check_agency(problems, name=name, code=code, level=level, parent=parent)
    problems.raise_if_any()
    with transaction.atomic():
        agency = Agency.objects.create(
            name=name.strip(), short_name=short_name.strip(), code=code.strip(), level=level, parent=parent,
            region_code=region_code.strip(), duties=duties, address=address.strip(), phone=phone.strip(),
        )
        agency.path = f"{parent.path if parent else '/'}{agency.pk}/"
        agency.save(update_fields=["path"])
        record(actor=actor, act="org.agency_created", obj=agency, agency_id=agency.pk,
               payload={"new": snapshot(agency, AGENCY_FIELDS)})
    return agency


def agency_update(
    *, actor: Any, agency: Agency, name: str | Unset = UNSET, short_name: str | Unset = UNSET,
    code: str | Unset = UNSET, level: str | Unset = UNSET, parent: Agency | Unset | None = UNSET,
    region_code: str | Unset = UNSET, duties: str | Unset = UNSET, address: str | Unset = UNSET,
    phone: str | Unset = UNSET, active: bool | Unset = UNSET,
) -> Agency:
    """Change an agency; a new parent must be above it and not below it; the subtree moves with it."""
    policies.ensure(actor, "update_agency", agency)
    if not isinstance(parent, Unset) and (parent.pk if parent else None) != agency.parent_id:
        policies.ensure(actor, "create_agency", parent)  # None: only the system may add a top level
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        old = snapshot(agency, AGENCY_FIELDS)
        given = {"name": name, "short_name": short_name, "code": code, "level": level, "parent": parent,
                 "region_code": region_code, "duties": duties, "address": address, "phone": phone,
                 "active": active}
        for key, value in given.items():
            if not isinstance(value, Unset):
                setattr(agency, key, value.strip() if isinstance(value, str) and key != "duties" else value)
        problems = Problems()
        _check_agency(problems, name=agency.name, code=agency.code, level=agency.level,
                      parent=agency.parent, exclude_pk=agency.pk)
        if agency.parent is not None and agency.parent.path.startswith(agency.path):
            problems.add("parent", _("An agency cannot be placed under itself or one of its subordinates."))
        for child in agency.children.all():
            if agency.level in LEVEL_RANK and LEVEL_RANK[child.level] <= LEVEL_RANK[agency.level]:
                problems.add("level", _("Subordinate agency %(child)s must stay below this agency's level.")
                             % {"child": child.name})
                break
        problems.raise_if_any()
        old_path = agency.path
        agency.path = f"{agency.parent.path if agency.parent else '/'}{agency.pk}/"
        agency.save()
        if agency.path != old_path:
            _move_subtree(old_path, agency.path)
        new = snapshot(agency, AGENCY_FIELDS)
        diff = changes(old, new)
        if diff:
            record(actor=actor, act="org.agency_updated", obj=agency, agency_id=agency.pk,
                   payload={"changes": diff})
    return agency


def _move_subtree(old_path: str, new_path: str) -> None:
    for sub in Agency.objects.select_for_update().filter(path__startswith=old_path).exclude(path=new_path):
        sub.path = new_path + sub.path[len(old_path):]
        sub.save(update_fields=["path"])


def _check_department(problems: Problems, *, agency: Agency, name: str, kind: str,
                      exclude_pk: int = 0) -> None:
    if not name.strip():
        problems.add("name", _("The department name is required."))
    elif Department.objects.filter(agency=agency, name=name.strip()).exclude(pk=exclude_pk).exists():
        problems.add("name", _("%(agency)s already has a department named %(name)s.")
                     % {"agency": agency.name, "name": name})
    if kind not in DepartmentKind.values:
        problems.add("kind", _("Unknown department kind “%(kind)s”.") % {"kind": kind})


def department_create(*, actor: Any, agency: Agency, name: str, kind: str) -> Department:
    """Create a department inside an agency: the system administrator's act."""
    policies.ensure(actor, "create_department", agency)
    problems = Problems()
    _check_department(problems, agency=agency, name=name, kind=kind)
    problems.raise_if_any()
    with transaction.atomic():
        dept = Department.objects.create(agency=agency, name=name.strip(), kind=kind)
        record(actor=actor, act="org.department_created", obj=dept, agency_id=agency.pk,
               payload={"new": snapshot(dept, DEPARTMENT_FIELDS)})
    return dept


def department_update(
    *, actor: Any, department: Department, name: str | Unset = UNSET, kind: str | Unset = UNSET,
    active: bool | Unset = UNSET,
) -> Department:
    """Rename, re-kind or (de)activate a department; a department with active officers stays active."""
    policies.ensure(actor, "update_department", department)
    with transaction.atomic():
        dept = Department.objects.select_for_update().select_related("agency").get(pk=department.pk)
        old = snapshot(dept, DEPARTMENT_FIELDS)
        if not isinstance(name, Unset):
            dept.name = name.strip()
        if not isinstance(kind, Unset):
            dept.kind = kind
        if not isinstance(active, Unset):
            dept.active = active
        problems = Problems()
        _check_department(problems, agency=dept.agency, name=dept.name, kind=dept.kind, exclude_pk=dept.pk)
        if not dept.active and dept.officers.filter(active=True).exists():
            problems.add("active", _("The department still has active officers; move them to another "
                                     "department before deactivating it."))
        problems.raise_if_any()
        dept.save()
        diff = changes(old, snapshot(dept, DEPARTMENT_FIELDS))
        if diff:
            record(actor=actor, act="org.department_updated", obj=dept, agency_id=dept.agency_id,
                   payload={"changes": diff})
    return dept

