import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.test import override_settings

from core.errors import PermissionDenied
from core.models import IssuedNumber, LedgerEntry, NumberPattern
from core.services.numbering import NumberingError, number_pattern_set, number_take


def agency_label_for_tests(agency_id):
    return {"code": f"A{agency_id}", "name": "测试县自然资源局", "short_name": "测自然资"}


@pytest.fixture
def sysadmin(db):
    user = get_user_model().objects.create_user(username="sysadmin", password="x" * 12)
    user.user_permissions.add(
        Permission.objects.get(codename="change_numberpattern", content_type__app_label="core")
    )
    return get_user_model().objects.get(pk=user.pk)


def take(agency_id=1, kind="penalty_decision", year=2026, **kw):
    with transaction.atomic():
        return number_take(agency_id=agency_id, kind=kind, year=year, actor=None, **kw)


@override_settings(ZHIFA_AGENCY_LABEL="core.tests.test_numbering.agency_label_for_tests")
def test_without_a_pattern_numbers_use_the_default_with_the_agency_short_name(db):
    assert [take().number for _ in range(3)] == [
        "测自然资〔2026〕1号",
        "测自然资〔2026〕2号",
        "测自然资〔2026〕3号",
    ]


def test_sequences_are_separate_per_agency_kind_and_year(db):
    assert take().value == 1
    assert take().value == 2
    assert take(agency_id=2).value == 1
    assert take(kind="inspection_record").value == 1
    assert take(year=2027).value == 1
    assert take().value == 3


def test_a_configured_pattern_makes_the_document_number(sysadmin):
    number_pattern_set(
        actor=sysadmin,
        agency_id=5,
        kind="penalty_decision",
        pattern="{prefix}罚〔{year}〕{seq}号",
        prefix="X自然资",
    )
    for _ in range(11):
        take(agency_id=5)
    issued = take(agency_id=5)
    assert issued.number == "X自然资罚〔2026〕12号" and issued.value == 12
    act = LedgerEntry.objects.filter(act="number.pattern_set").get()
    assert json.loads(act.payload)["after"] == {"pattern": "{prefix}罚〔{year}〕{seq}号", "prefix": "X自然资"}
    number_pattern_set(
        actor=sysadmin, agency_id=5, kind="penalty_decision", pattern="{prefix}{year}-{seq:04d}", prefix="X"
    )
    assert take(agency_id=5).number == "X2026-0013"
    second = LedgerEntry.objects.filter(act="number.pattern_set").order_by("-seq").first()
    assert json.loads(second.payload)["before"]["prefix"] == "X自然资"


def test_the_number_is_recorded_with_the_object_it_numbers(sysadmin):
    with transaction.atomic():
        issued = number_take(agency_id=1, kind="k", year=2026, obj=sysadmin, actor=sysadmin)
    assert (issued.object_type, issued.object_id) == ("org.user", str(sysadmin.pk))
    entry = LedgerEntry.objects.get(act="number.issued")
    assert (entry.object_type, entry.object_id, entry.actor_id) == ("org.user", str(sysadmin.pk), sysadmin.pk)
    assert json.loads(entry.payload)["number"] == issued.number


def test_given_a_rolled_back_act_then_its_number_is_taken_again(db):
    assert take().value == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        number_take(agency_id=1, kind="penalty_decision", year=2026, actor=None)
        raise RuntimeError("the act failed after taking its number")
    assert take().value == 2
    assert list(IssuedNumber.objects.order_by("value").values_list("value", flat=True)) == [1, 2]
    assert LedgerEntry.objects.filter(act="number.issued").count() == 2


def test_taking_a_number_outside_a_transaction_is_refused():
    # no database access: the refusal comes before any query (and outside any test transaction)
    with pytest.raises(NumberingError) as err:
        number_take(agency_id=1, kind="penalty_decision", actor=None)
    assert err.value.code == "number_outside_transaction"


@pytest.mark.parametrize(
    ("pattern", "code"),
    [
        ("{prefix}〔{year}〕号", "number_pattern_no_seq"),
        ("{prefix}{seq.__class__}", "number_pattern_placeholder"),
        ("{agency}{seq}", "number_pattern_placeholder"),
        ("{0}{seq}", "number_pattern_placeholder"),
        ("{seq!r}", "number_pattern_placeholder"),
        ("{prefix:>10}{seq}", "number_pattern_placeholder"),
        ("{prefix}{seq", "number_pattern_invalid"),
        ("{seq:q}", "number_pattern_invalid"),
        ("", "number_pattern_invalid"),
        ("{seq}" + "x" * 120, "number_pattern_invalid"),
    ],
)
def test_bad_patterns_are_refused_with_a_reason(sysadmin, pattern, code):
    with pytest.raises(NumberingError) as err:
        number_pattern_set(actor=sysadmin, agency_id=1, kind="k", pattern=pattern, prefix="X")
    assert err.value.code == code and err.value.message
    assert not NumberPattern.objects.exists() and not LedgerEntry.objects.exists()


def test_only_a_holder_of_the_permission_sets_patterns(db):
    officer = get_user_model().objects.create_user(username="officer", password="x" * 12)
    with pytest.raises(PermissionDenied):
        number_pattern_set(actor=officer, agency_id=1, kind="k", pattern="{seq}", prefix="")
    assert not NumberPattern.objects.exists()


def test_bad_kind_and_year_are_refused(db):
    with pytest.raises(NumberingError), transaction.atomic():
        number_take(agency_id=1, kind="", actor=None)
    with pytest.raises(NumberingError), transaction.atomic():
        number_take(agency_id=1, kind="k", year=20260, actor=None)
