"""One Django Group per role, holding exactly the permissions `org.roles.ROLE_PERMISSIONS` names.

Groups are derived state (a cache of ROLE_PERMISSIONS that lets `user.has_perm` work), not
history, so syncing them is not a ledger act; granting or revoking a role is. They are created by
data migration `org/0003` and re-synced after every `migrate` (post_migrate), so permissions of apps
migrated later, or added to ROLE_PERMISSIONS later, reach the groups without a new migration.
"""

from __future__ import annotations

import logging
from typing import Any

from org.roles import ROLE_PERMISSIONS, Role

log = logging.getLogger(__name__)

GROUP_PREFIX = "role:"


def group_name(role: str) -> str:
    return f"{GROUP_PREFIX}{role}"


def role_permissions(role: str) -> list[str]:
    """ROLE_PERMISSIONS[role] plus what each installed app declares in its AppConfig.role_permissions."""
    from django.apps import apps as global_apps

    names = list(ROLE_PERMISSIONS.get(role, []))
    for config in global_apps.get_app_configs():
        names.extend(getattr(config, "role_permissions", {}).get(str(role), []))
    return names


def sync_role_groups(apps: Any = None) -> list[str]:
    """Create/update one Group per role; return the permissions named but not (yet) existing."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    missing: list[str] = []
    for role in Role:
        group, _ = Group.objects.get_or_create(name=group_name(role))
        wanted = []
        for dotted in role_permissions(role):
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is None:
                missing.append(dotted)
            else:
                wanted.append(perm)
        group.permissions.set(wanted)
    if missing:
        log.info("role permissions not (yet) defined: %s", ", ".join(sorted(set(missing))))
    return missing


def on_post_migrate(sender: Any, **kwargs: Any) -> None:
    if getattr(sender, "name", "") == "org":
        sync_role_groups()


def sync_user_groups(user: Any, roles: Any) -> None:
    """Make `user`'s role groups exactly the groups of `roles` (other groups are left alone)."""
    from django.contrib.auth.models import Group

    wanted = {group_name(r) for r in roles}
    current = set(user.groups.filter(name__startswith=GROUP_PREFIX).values_list("name", flat=True))
    if current - wanted:
        user.groups.remove(*Group.objects.filter(name__in=current - wanted))
    if wanted - current:
        for name in wanted - current:
            Group.objects.get_or_create(name=name)
        user.groups.add(*Group.objects.filter(name__in=wanted - current))
    # ModelBackend caches permissions on the user object; drop the cache so has_perm sees the change.
    for attr in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(attr, None)
