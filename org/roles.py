"""The roles of the platform and the Django permissions each one carries.

Roles are assigned per officer (org.RoleAssignment). The three 等保 administrators (三员分立) can
never be held together, nor together with an enforcement role; enforcement roles combine freely.
core and other apps check Django permissions (`user.has_perm`), which org keeps in step with roles
through one Django Group per role.

Who manages what (the 三员分立 split, decided here and enforced in `org.policies`):
- system administrator (系统管理员): agencies, departments, fields of enforcement, the power
  catalog (catalog app), the working-day calendar, legal settings and number patterns;
- security administrator (安全管理员): officers and their logins, role grants and revocations,
  enforcement certificates and legal qualifications;
- audit administrator (审计管理员): reads the ledger and the organisation, changes nothing.
Administrators act in their own agency and its subordinate agencies. An agency tree keeps at least
one active security administrator and the platform at least one system administrator: revoking,
deactivating or transferring the last one is refused (org.services.officers). Enforcement roles read their
own agency; supervisors also read subordinate agencies, read-only. Nobody grants or revokes their
own roles.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("enforcement officer")
    LEGAL_REVIEWER = "legal_reviewer", _("legal reviewer")
    HEAD = "head", _("agency head")
    SUPERVISOR = "supervisor", _("supervisor")
    SYSTEM_ADMIN = "system_admin", _("system administrator")
    SECURITY_ADMIN = "security_admin", _("security administrator")
    AUDIT_ADMIN = "audit_admin", _("audit administrator")


ENFORCEMENT_ROLES = frozenset({Role.OFFICER, Role.LEGAL_REVIEWER, Role.HEAD, Role.SUPERVISOR})
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# "app_label.codename" permissions granted through each role's Group.
# Permissions named here that do not exist (yet) are skipped by org.groups.sync_role_groups.
_ORG_READ = ["org.view_agency", "org.view_department", "org.view_officer", "org.view_certificate"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OFFICER: ["core.view_deadline", *_ORG_READ],
    Role.LEGAL_REVIEWER: ["core.view_deadline", *_ORG_READ],
    Role.HEAD: ["core.view_deadline", "core.view_agency_deadlines", *_ORG_READ],
    Role.SUPERVISOR: ["core.view_deadline", "core.view_agency_deadlines", *_ORG_READ],
    Role.SYSTEM_ADMIN: [
        *_ORG_READ,
        "org.add_agency", "org.change_agency", "org.add_department", "org.change_department",
        "org.view_enforcementfield", "org.add_enforcementfield", "org.change_enforcementfield",
        "core.view_workdayoverride", "core.change_workdayoverride", "core.add_workdayoverride",
        "core.view_legalsetting", "core.change_legalsetting",
        "core.view_numberpattern", "core.change_numberpattern",
    ],
    Role.SECURITY_ADMIN: [
        *_ORG_READ,
        "org.add_officer", "org.change_officer",
        "org.view_roleassignment", "org.add_roleassignment", "org.delete_roleassignment",
        "org.add_certificate", "org.change_certificate",
        "org.view_legalqualification", "org.add_legalqualification",
        "api.revoke_any_apitoken",
    ],
    Role.AUDIT_ADMIN: ["core.view_ledgerentry", *_ORG_READ, "org.view_roleassignment"],
}
