"""Officers and their roles: written by the security administrator (等保 三员分立)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError
from org import policies
from org.groups import sync_user_groups
from org.models import Agency, CertificateStatus, Department, Officer, RoleAssignment, User
from org.roles import ADMIN_ROLES, ENFORCEMENT_ROLES, Role
from org.services._common import UNSET, Problems, Unset, changes, record, snapshot

OFFICER_FIELDS = ["agency", "department", "name", "title", "phone", "is_auxiliary", "active"]


def _check_department(problems: Problems, department: Department | None, agency: Agency) -> None:
    if department is not None and department.agency_id != agency.pk:
        problems.add("department", _("Department %(dept)s does not belong to %(agency)s; choose one of "
                                     "that agency's departments.") % {"dept": department.name,
                                                                      "agency": agency.name})
    elif department is not None and not department.active:
        problems.add("department", _("Department %(dept)s is no longer active.") % {"dept": department.name})


def _ensure_not_last_administrator(officer: Officer, removed: set[Role]) -> None:
    """Refuse an act that would leave nobody to administer (等保2.0 三员分立).

    The security administrator is the only one who grants roles, so an agency tree (a top-level
    agency and everything below it) keeps at least one; the system administrator runs the
    platform-wide data (agencies, fields of enforcement, calendar), so the platform keeps one.
    Only active officers with active logins count. Every holder's assignment row is locked in one
    order, so two concurrent revocations of the last two holders serialise and the second is refused.
    """
    for role in (Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN):
        if role not in removed:
            continue
        holders = RoleAssignment.objects.filter(role=role)
        if role == Role.SECURITY_ADMIN:
            holders = holders.filter(officer__agency__path__startswith=_tree_path(officer.agency))
        locked = list(
            holders.select_for_update(of=("self",)).order_by("pk")
            .filter(officer__active=True, officer__user__is_active=True)
            .values_list("officer_id", flat=True)
        )
        if any(pk != officer.pk for pk in locked):
            continue
        if role == Role.SECURITY_ADMIN:
            root = Agency.objects.get(path=_tree_path(officer.agency))
            message = _(
                "%(name)s is the last security administrator of %(tree)s and its subordinate agencies: "
                "without one, nobody there could manage officers, roles or certificates (等保2.0 三员分立). "
                "Grant the security administrator role to another officer first, then try again."
            ) % {"name": officer.name, "tree": root.name}
        else:
            message = _(
                "%(name)s is the last system administrator of the platform: without one, nobody could "
                "manage agencies, departments, fields of enforcement or the working-day calendar "
                "(等保2.0 三员分立). Grant the system administrator role to another officer first, then "
                "try again."
            ) % {"name": officer.name}
        raise DomainError(message, code="last_administrator", basis="等保2.0 三员分立")


def _tree_path(agency: Agency) -> str:
    """The materialised path of the top-level agency of `agency`'s tree ("/1/")."""
    return "/" + agency.path.strip("/").split("/")[0] + "/"


def officer_create(
    *, actor: Any, agency: Agency, name: str, username: str = "", user: User | None = None,
    password: str | None = None, email: str = "", department: Department | None = None, title: str = "",
    phone: str = "", is_auxiliary: bool = False,
) -> Officer:
    """Register an officer in exactly one agency, creating the login (or attaching an existing one).

    The password must pass the configured validators; without one the login is unusable until the
    password is set. A user who is already an officer cannot be attached again.
    """
    policies.ensure(actor, "create_officer", agency)
    problems = Problems()
    if not name.strip():
        problems.add("name", _("The officer's name is required."))
    _check_department(problems, department, agency)
    if user is not None:
        existing = Officer.objects.select_related("agency").filter(user=user).first()
        if existing is not None:
            raise Conflict(_(
                "User %(user)s is already an officer of %(agency)s; an officer belongs to exactly one "
                "agency. Transfer the officer instead of registering them again."
            ) % {"user": user.username, "agency": existing.agency.name}, code="officer_in_other_agency")
    else:
        username = username.strip()
        if not username:
            problems.add("username", _("The login name is required."))
        elif User.objects.filter(username__iexact=username).exists():
            problems.add("username", _("Login name %(username)s is taken; choose another.")
                         % {"username": username})
        if password:
            try:
                validate_password(password, User(username=username, email=email, first_name=name))
            except ValidationError as exc:
                for message in exc.messages:
                    problems.add("password", message)
    problems.raise_if_any()
    with transaction.atomic():
        if user is None:
            user = User(username=username, email=email.strip(), first_name=name.strip())
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
        officer = Officer.objects.create(
            user=user, agency=agency, department=department, name=name.strip(), title=title.strip(),
            phone=phone.strip(), is_auxiliary=is_auxiliary,
        )
        record(actor=actor, act="org.officer_created", obj=officer, agency_id=agency.pk,
               payload={"new": snapshot(officer, OFFICER_FIELDS), "user_id": user.pk,
                        "username": user.username, "password_set": bool(password)})
    return officer


def officer_update(
    *, actor: Any, officer: Officer, name: str | Unset = UNSET, title: str | Unset = UNSET,
    phone: str | Unset = UNSET, department: Department | Unset | None = UNSET,
    is_auxiliary: bool | Unset = UNSET,
) -> Officer:
    """Change an officer's details within their agency (moving agencies is officer_transfer)."""
    policies.ensure(actor, "update_officer", officer)
    with transaction.atomic():
        officer = Officer.objects.select_for_update().select_related("agency").get(pk=officer.pk)
        old = snapshot(officer, OFFICER_FIELDS)
        for key, value in {"name": name, "title": title, "phone": phone}.items():
            if not isinstance(value, Unset):
                setattr(officer, key, value.strip())
        if not isinstance(department, Unset):
            officer.department = department
        if not isinstance(is_auxiliary, Unset):
            officer.is_auxiliary = is_auxiliary
        problems = Problems()
        if not officer.name:
            problems.add("name", _("The officer's name is required."))
        if isinstance(department, Department) and department.pk != old["department_id"]:
            _check_department(problems, department, officer.agency)
        problems.raise_if_any()
        officer.save()
        diff = changes(old, snapshot(officer, OFFICER_FIELDS))
        if diff:
            record(actor=actor, act="org.officer_updated", obj=officer, agency_id=officer.agency_id,
                   payload={"changes": diff})
    return officer


def officer_transfer(
    *, actor: Any, officer: Officer, agency: Agency, department: Department | None = None
) -> Officer:
    """Move an officer to another agency. Roles are duties in one agency, so all are withdrawn;
    the new agency grants its own. Certificates stay with the person."""
    policies.ensure(actor, "transfer_officer", officer)
    policies.ensure(actor, "create_officer", agency)
    problems = Problems()
    if agency.pk == officer.agency_id:
        problems.add("agency", _("The officer already belongs to %(agency)s.") % {"agency": agency.name})
    _check_department(problems, department, agency)
    problems.raise_if_any()
    with transaction.atomic():
        officer = Officer.objects.select_for_update().select_related("agency").get(pk=officer.pk)
        old = snapshot(officer, OFFICER_FIELDS)
        withdrawn = sorted(officer.role_assignments.values_list("role", flat=True))
        _ensure_not_last_administrator(officer, {Role(r) for r in withdrawn})
        officer.role_assignments.all().delete()
        officer.agency, officer.department = agency, department
        officer.save()
        sync_user_groups(officer.user, [])
        record(actor=actor, act="org.officer_transferred", obj=officer, agency_id=agency.pk,
               payload={"changes": changes(old, snapshot(officer, OFFICER_FIELDS)),
                        "roles_withdrawn": withdrawn})
    return officer


def officer_deactivate(*, actor: Any, officer: Officer, reason: str) -> Officer:
    """Deactivate an officer (left, retired, removed from enforcement duty) and disable the login."""
    policies.ensure(actor, "deactivate_officer", officer)
    if not reason.strip():
        raise DomainError(_("Give the reason for deactivating the officer."), code="reason_required",
                          field_errors={"reason": [_("This field is required.")]})
    if actor is not None and officer.user_id == getattr(actor, "pk", None):
        raise DomainError(_("You cannot deactivate yourself; ask another security administrator."),
                          code="self_deactivation")
    with transaction.atomic():
        officer = Officer.objects.select_for_update().select_related("user", "agency").get(pk=officer.pk)
        if not officer.active:
            return officer
        _ensure_not_last_administrator(
            officer, {Role(r) for r in officer.role_assignments.values_list("role", flat=True)}
        )
        officer.active = False
        officer.save(update_fields=["active", "updated_at"])
        officer.user.is_active = False
        officer.user.save(update_fields=["is_active"])
        record(actor=actor, act="org.officer_deactivated", obj=officer, agency_id=officer.agency_id,
               payload={"changes": {"active": {"old": True, "new": False}}, "reason": reason.strip()})
    return officer


def officer_reactivate(*, actor: Any, officer: Officer, reason: str = "") -> Officer:
    """Re-enable a deactivated officer and their login."""
    policies.ensure(actor, "deactivate_officer", officer)
    with transaction.atomic():
        officer = Officer.objects.select_for_update().select_related("user").get(pk=officer.pk)
        if officer.active:
            return officer
        officer.active = True
        officer.save(update_fields=["active", "updated_at"])
        officer.user.is_active = True
        officer.user.save(update_fields=["is_active"])
        record(actor=actor, act="org.officer_reactivated", obj=officer, agency_id=officer.agency_id,
               payload={"changes": {"active": {"old": False, "new": True}}, "reason": reason.strip()})
    return officer


def _separation_refusal(role: Role, held: set[Role]) -> str | None:
    """等保2.0 三员分立: an administrator role is held alone."""
    others = held - {role}
    if role in ADMIN_ROLES and others:
        return _(
            "The %(role)s cannot also hold %(held)s (等保2.0 三员分立: the system, security and audit "
            "administrators are separate people and hold no enforcement role). Revoke %(held)s first "
            "or grant the role to someone else."
        ) % {"role": role.label, "held": "、".join(str(r.label) for r in sorted(others))}
    admin_held = held & ADMIN_ROLES
    if role in ENFORCEMENT_ROLES and admin_held:
        return _(
            "An officer who is %(held)s cannot also be %(role)s (等保2.0 三员分立: administrators hold "
            "no enforcement role). Grant the role to someone else, or revoke %(held)s first."
        ) % {"role": role.label, "held": "、".join(str(r.label) for r in sorted(admin_held))}
    return None


def _certified_admin_refusal(officer: Officer, role: Role) -> str | None:
    """等保2.0 三员分立: an officer holding a valid, unexpired enforcement certificate does not become
    an administrator (an administrator may not hold one: org.services.certificates). A suspended,
    revoked or expired certificate does not count: it cannot be reinstated or renewed while the
    officer is an administrator."""
    if role not in ADMIN_ROLES:
        return None
    today = timezone.localdate()
    current = officer.certificates.filter(status=CertificateStatus.VALID, expires_on__gte=today)
    numbers = sorted(current.values_list("number", flat=True))
    if not numbers:
        return None
    return _(
        "%(name)s holds valid enforcement certificate %(numbers)s and cannot become %(role)s (等保2.0 "
        "三员分立: administrators perform no enforcement acts). Suspend or revoke the certificate "
        "first, or grant the role to someone else."
    ) % {"name": officer.name, "numbers": "、".join(numbers), "role": role.label}


def role_grant(*, actor: Any, officer: Officer, role: str) -> RoleAssignment:
    """Grant a role; the three administrators are held alone (等保2.0 三员分立). Granting a held role
    changes nothing."""
    if role not in Role.values:
        raise DomainError(_("Unknown role “%(role)s”; choose one of: %(roles)s.") % {
            "role": role, "roles": "、".join(str(r.label) for r in Role)}, code="unknown_role",
            field_errors={"role": [_("Unknown role.")]})
    the_role = Role(role)
    policies.ensure(actor, "grant_role", officer)
    with transaction.atomic():
        officer = Officer.objects.select_for_update().select_related("user").get(pk=officer.pk)
        held = {Role(r) for r in officer.role_assignments.values_list("role", flat=True)}
        existing = officer.role_assignments.filter(role=the_role).first()
        if existing is not None:
            return existing
        refusal = _separation_refusal(the_role, held) or _certified_admin_refusal(officer, the_role)
        if refusal:
            raise DomainError(refusal, code="separation_of_duties", basis="等保2.0 三员分立",
                              field_errors={"role": [refusal]})
        assignment = RoleAssignment.objects.create(
            officer=officer, role=the_role, granted_at=timezone.now(),
            granted_by=actor if getattr(actor, "pk", None) else None,
        )
        sync_user_groups(officer.user, held | {the_role})
        record(actor=actor, act="org.role_granted", obj=officer, agency_id=officer.agency_id,
               payload={"role": the_role.value, "roles": {"old": sorted(held),
                                                            "new": sorted(held | {the_role})}})
    return assignment


def role_revoke(*, actor: Any, officer: Officer, role: str) -> None:
    """Revoke a role; revoking a role not held changes nothing; the last security administrator of
    an agency tree and the last system administrator stay (grant the role to someone else first)."""
    if role not in Role.values:
        raise DomainError(_("Unknown role “%(role)s”.") % {"role": role}, code="unknown_role")
    the_role = Role(role)
    policies.ensure(actor, "revoke_role", officer)
    with transaction.atomic():
        officer = Officer.objects.select_for_update().select_related("user", "agency").get(pk=officer.pk)
        held = {Role(r) for r in officer.role_assignments.values_list("role", flat=True)}
        if the_role not in held:
            return
        _ensure_not_last_administrator(officer, {the_role})
        officer.role_assignments.filter(role=the_role).delete()
        sync_user_groups(officer.user, held - {the_role})
        record(actor=actor, act="org.role_revoked", obj=officer, agency_id=officer.agency_id,
               payload={"role": the_role.value, "roles": {"old": sorted(held),
                                                            "new": sorted(held - {the_role})}})
