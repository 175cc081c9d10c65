"""org.backends.ModelBackend: the same permissions as Django's ModelBackend, in one query."""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission

from org.backends import ModelBackend
from org.models import User

pytestmark = pytest.mark.django_db


def _perm(codename: str) -> Permission:
    return Permission.objects.get(codename=codename)


def test_own_and_group_permissions_in_one_query(django_assert_num_queries):
    user = User.objects.create_user("p1", password="x-Passw0rd-2026")
    user.user_permissions.add(_perm("view_deadline"))
    group = Group.objects.create(name="calendar-keepers")
    group.permissions.add(_perm("change_workdayoverride"), _perm("view_deadline"))
    user.groups.add(group)
    Group.objects.create(name="other").permissions.add(_perm("view_ledgerentry"))
    user = User.objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        perms = ModelBackend().get_all_permissions(user)
        assert user.has_perm("core.view_deadline") and user.has_perm("core.change_workdayoverride")
        assert not user.has_perm("core.view_ledgerentry")
    assert perms == DjangoModelBackend().get_all_permissions(User.objects.get(pk=user.pk))
    assert perms == {"core.view_deadline", "core.change_workdayoverride"}


def test_direct_permission_only_and_none():
    user = User.objects.create_user("p2", password="x-Passw0rd-2026")
    assert ModelBackend().get_all_permissions(user) == set()
    user.user_permissions.add(_perm("view_ledgerentry"))
    user = User.objects.get(pk=user.pk)
    assert ModelBackend().get_all_permissions(user) == {"core.view_ledgerentry"}


def test_superuser_has_all_and_inactive_none():
    root = User.objects.create_superuser("p3", password="x-Passw0rd-2026")
    assert len(ModelBackend().get_all_permissions(root)) == Permission.objects.count()
    root.is_active = False
    root = User.objects.get(pk=root.pk)
    root.is_active = False
    assert ModelBackend().get_all_permissions(root) == set()


def test_get_user_is_djangos_with_a_compiled_read():
    user = User.objects.create_user("p3", password="x-Passw0rd-2026")
    backend = ModelBackend()
    assert backend.get_user(user.pk) == user and backend.get_user(str(user.pk)) == user
    assert backend.get_user(user.pk + 1000) is None
    assert backend.get_user("not-an-id") is None and backend.get_user(2**70) is None
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert backend.get_user(user.pk) is None  # an inactive user is signed out, as with Django's


def test_sessions_are_found_by_key_and_expire(client):
    """org.sessions: a session is read back by its key; an expired one is not (a new, empty session),
    nor an unknown key; what Django's database sessions do."""
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from org.sessions import SessionStore

    store = SessionStore()
    store["case"] = 42
    store.create()
    key = store.session_key
    assert key and SessionStore(key)["case"] == 42
    assert SessionStore("x" * 32).get("case") is None
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    expired = SessionStore(key)
    assert expired.get("case") is None and expired.session_key is None
    # signed in, the session carries the user from request to request
    from django.contrib.auth import SESSION_KEY

    user = User.objects.create_user("p4", password="x-Passw0rd-2026")
    client.force_login(user)
    response = client.get("/")
    assert response.wsgi_request.user == user
    assert SessionStore(client.session.session_key)[SESSION_KEY] == str(user.pk)
