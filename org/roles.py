"""The roles of the platform and the Django permissions each one carries.

Roles are assigned per officer (org.RoleAssignment). The three 等保 administrators (三员分立) can
never be held together, nor together with an enforcement role; enforcement roles combine freely.
core and other apps check Django permissions (`user.has_perm`), which org keeps in step with roles
through one Django Group per role.
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
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OFFICER: ["core.view_deadline"],
    Role.LEGAL_REVIEWER: ["core.view_deadline"],
    Role.HEAD: ["core.view_deadline"],
    Role.SUPERVISOR: ["core.view_deadline"],
    Role.SYSTEM_ADMIN: [
        "core.view_workdayoverride", "core.change_workdayoverride", "core.add_workdayoverride",
        "core.view_legalsetting", "core.change_legalsetting",
        "core.view_numberpattern", "core.change_numberpattern",
    ],
    Role.SECURITY_ADMIN: [],
    Role.AUDIT_ADMIN: ["core.view_ledgerentry"],
}
