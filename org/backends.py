"""Authentication backend: Django's ModelBackend with a user's permissions read in one query.

The navigation of every page asks `perms.core.*`; ModelBackend answers the first such question with
two ORM queries (the user's own permissions, then their groups'). Here it is one fixed SQL
statement (compiled once per process) with the same result: the union of both, every permission
for an active superuser, none for an inactive user; cached on the user object for the request as
ModelBackend does (`_perm_cache`, dropped by org.groups.sync_user_groups when the roles change)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from core.prepared import PreparedRead


@cache
def _sql() -> str:
    qn = connection.ops.quote_name
    user_model = get_user_model()
    perm, ctype = Permission._meta.db_table, ContentType._meta.db_table
    own = user_model.user_permissions.through._meta.db_table
    member = user_model.groups.through._meta.db_table
    granted = Group.permissions.through._meta.db_table
    return (
        f"SELECT ct.{qn('app_label')}, p.{qn('codename')} FROM {qn(perm)} p "
        f"JOIN {qn(ctype)} ct ON ct.{qn('id')} = p.{qn('content_type_id')} "
        f"WHERE p.{qn('id')} IN (SELECT {qn('permission_id')} FROM {qn(own)} WHERE {qn('user_id')} = %s) "
        f"OR p.{qn('id')} IN (SELECT g.{qn('permission_id')} FROM {qn(granted)} g "
        f"JOIN {qn(member)} m ON m.{qn('group_id')} = g.{qn('group_id')} WHERE m.{qn('user_id')} = %s)"
    )


# The signed-in user by id, on every request: compiled once (core.prepared).
_USER_BY_ID: PreparedRead[Any] = PreparedRead(
    lambda user_id: get_user_model()._default_manager.filter(pk=user_id)
)


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> Any:
        """Django's, with the user read by a compiled query."""
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = _USER_BY_ID.first(pk)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows: Any = Permission.objects.values_list("content_type__app_label", "codename").order_by()
            else:
                with connection.cursor() as cur:
                    cur.execute(_sql(), [user_obj.pk, user_obj.pk])
                    rows = cur.fetchall()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in rows}
        return user_obj._perm_cache  # type: ignore[no-any-return]
