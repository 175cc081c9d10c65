"""The ledger browser shows each act as "Chinese label (code)", and object types by name."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from core.acts import ACT_LABELS, act_display, object_type_display
from core.services.ledger import ledger_append

ROOT = Path(__file__).resolve().parents[2]


def test_every_act_code_recorded_in_the_code_has_a_label():
    found = subprocess.run(
        ["grep", "-rhoE", r'act="[a-z_.]+"', "--include=*.py", "--exclude-dir=.venv", "--exclude-dir=tests",
         "--exclude-dir=benchmarks", "."],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    codes = {m for m in re.findall(r'act="([a-z_.]+)"', found) if not m.startswith(("test.", "bench."))}
    assert codes and codes - set(ACT_LABELS) == set()


def test_labels_are_chinese():
    with translation.override("zh-hans"):
        assert act_display("auth.login_failed") == "登录失败 (auth.login_failed)"
        assert act_display("deadline.recomputed") == "重新计算期限 (deadline.recomputed)"
        assert act_display("unknown.act") == "unknown.act"
        assert object_type_display("core.deadline") == "期限 (core.deadline)"
        assert object_type_display("signing_key") == "signing_key"


@pytest.mark.django_db
def test_list_and_detail_pages_show_label_and_code(client, settings):
    settings.ZHIFA_VISIBLE_AGENCIES = "core.tests.test_ledger_views.visible_for_tests"
    settings.ZHIFA_ACTOR_AGENCY = "core.tests.test_ledger_views.agency_for_tests"
    user = get_user_model().objects.create_user(username="auditor", password="x" * 12)
    user.user_permissions.add(
        Permission.objects.get(codename="view_ledgerentry", content_type__app_label="core")
    )
    client.force_login(user)
    entry = ledger_append(actor=None, act="auth.login_failed", obj=user, payload={"username": "x"})
    listing = client.get(reverse("core:ledger"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "登录失败 (auth.login_failed)" in listing
    detail = client.get(reverse("core:ledger_entry", args=[entry.seq]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "登录失败 (auth.login_failed)" in detail.content.decode()
