"""The case page and `available_actions` ask each per-case lookup once (cases.memo): a bound on the
number of queries, so a guard or panel that starts querying per action shows up here."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.memo import memo_active, memo_scope, memoised
from cases.services import available_actions
from cases.tests.factories import new_case, walk
from catalog.tests.factories import occupation_standard
from org.mfa import force_login_verified

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["investigating", "notified", "decided"])
def test_case_page_query_count_is_bounded(client, world, status, django_assert_max_num_queries):
    occupation_standard(agency=world.agency)
    case = walk(new_case(world), world, status)
    force_login_verified(client, world.officer1.user)
    client.get(reverse("cases:case_detail", args=[case.pk]))  # warm the per-process caches
    # 60 before the memo (notified); every action's guards ran their own CaseOfficer, party,
    # catalog-rule, legal-setting and AV-rule queries.
    with django_assert_max_num_queries(36):
        response = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200


def test_available_actions_asks_shared_lookups_once(world, django_assert_max_num_queries):
    occupation_standard(agency=world.agency)
    case = walk(new_case(world), world, "notified")
    available_actions(case=case, actor=world.officer1.user)
    with django_assert_max_num_queries(20):
        actions = available_actions(case=case, actor=world.officer1.user)
    assert any(a["action"] == "decide" for a in actions)


def test_memo_only_inside_its_scope():
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert not memo_active()
    assert memoised("k", compute) == 1 and memoised("k", compute) == 2  # no scope: always asked
    with memo_scope():
        assert memo_active()
        assert memoised("k", compute) == 3 and memoised("k", compute) == 3
        with memo_scope():  # nested: the outer memo
            assert memoised("k", compute) == 3
    assert not memo_active()
    assert memoised("k", compute) == 4


def test_acts_after_a_page_see_fresh_data(world):
    """The memo lives only while a page is built: an act right after sees the party just added."""
    from cases.models import Party
    from cases.services import case_act, party_add
    from cases.tests.factories import RESIDENT_ID

    case = walk(new_case(world), world, "preliminary_check")
    Party.objects.filter(case=case).delete()
    listed = {a["action"]: a for a in available_actions(case=case, actor=world.head.user)}
    assert "no_party" in [b["code"] for b in listed["register"]["blocked_by"]]
    party_add(actor=world.head.user, case=case, party_type="natural", name="张三", id_number=RESIDENT_ID,
              address="城关镇东村三组")  # fmt: skip
    case.refresh_from_db()
    assert case_act(case=case, actor=world.head.user, action="register", data={}).status == "registered"
