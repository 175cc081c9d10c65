"""The navigation shows only links the user can open; org pages link a parent agency only if visible."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from org import mfa
from org.roles import Role
from org.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav id="main-nav".*?</nav>', re.S)
HREF = re.compile(r'<a href="([^"]+)"')


def nav_links(client) -> list[str]:
    page = client.get(reverse("core:home"))
    assert page.status_code == 200
    match = NAV.search(page.content.decode())
    assert match is not None
    return HREF.findall(match.group(0))


@pytest.mark.parametrize("role", list(Role))
def test_every_navigation_link_opens_for_each_role(client, tree, role):
    user = OfficerFactory(agency=tree["county"], roles=[role]).user
    mfa.force_login_verified(client, user)
    links = nav_links(client)
    assert reverse("core:home") in links
    for url in links:
        assert client.get(url).status_code == 200, (role, url)


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_given_security_or_audit_admin_then_no_catalog_links(client, tree, role):
    mfa.force_login_verified(client, OfficerFactory(agency=tree["county"], roles=[role]).user)
    links = nav_links(client)
    assert reverse("catalog:power_list") not in links
    assert reverse("catalog:discretion_list") not in links


def test_given_officer_then_catalog_but_no_calendar_link(client, tree):
    mfa.force_login_verified(client, OfficerFactory(agency=tree["county"], roles=[Role.OFFICER]).user)
    links = nav_links(client)
    assert reverse("core:calendar") not in links
    assert reverse("catalog:power_list") in links and reverse("catalog:discretion_list") in links


def test_given_system_admin_then_calendar_and_catalog_links(client, tree):
    mfa.force_login_verified(client, OfficerFactory(agency=tree["county"], roles=[Role.SYSTEM_ADMIN]).user)
    links = nav_links(client)
    assert reverse("core:calendar") in links and reverse("catalog:power_list") in links


def test_given_county_officer_then_parent_agency_named_but_not_linked(client, tree):
    mfa.force_login_verified(client, OfficerFactory(agency=tree["county"], roles=[Role.OFFICER]).user)
    body = client.get(reverse("org:agency_detail", args=[tree["county"].pk])).content.decode()
    parent_url = reverse("org:agency_detail", args=[tree["city"].pk])
    assert tree["city"].name in body and f'href="{parent_url}"' not in body
    assert client.get(parent_url).status_code == 404


def test_given_city_supervisor_then_parent_of_child_linked(client, tree):
    mfa.force_login_verified(client, OfficerFactory(agency=tree["city"], roles=[Role.SUPERVISOR]).user)
    body = client.get(reverse("org:agency_detail", args=[tree["county"].pk])).content.decode()
    parent_url = reverse("org:agency_detail", args=[tree["city"].pk])
    assert f'href="{parent_url}"' in body
