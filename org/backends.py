"""Authentication backend: Django's ModelBackend with a user's permissions read in one query.

The navigation of every page asks `perms.core.*`; ModelBackend answers the first such question with
two queries (the user's own permissions, then their groups'). Here it is one query with two
subqueries, same result: the union of both, every permission for an active superuser, none for an
inactive user; cached on the user object for the request as ModelBackend does (`_perm_cache`,
dropped by org.groups.sync_user_groups when the roles change)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q


class ModelBackend(DjangoModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                perms = Permission.objects.all()
            else:
                User = get_user_model()
                own = User.user_permissions.through.objects.filter(user_id=user_obj.pk)
                groups = User.groups.through.objects.filter(user_id=user_obj.pk)
                from_groups = Group.permissions.through.objects.filter(
                    group_id__in=groups.values("group_id")
                )
                perms = Permission.objects.filter(
                    Q(pk__in=own.values("permission_id")) | Q(pk__in=from_groups.values("permission_id"))
                )
            user_obj._perm_cache = {
                f"{app}.{codename}"
                for app, codename in perms.values_list("content_type__app_label", "codename").order_by()
            }
        return user_obj._perm_cache  # type: ignore[no-any-return]
