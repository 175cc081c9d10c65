"""Parties: identity numbers by GB 11643 / GB 32100 (python-stdnum), unknown region only a warning."""

from __future__ import annotations

import pytest

from cases.services import party_add
from cases.tests.factories import RESIDENT_ID, USCC, new_case
from core.errors import PermissionDenied, ValidationFailed


@pytest.fixture
def case(world):
    return new_case(world)


def test_valid_resident_id_is_accepted(world, case):
    party = party_add(
        actor=world.head.user, case=case, party_type="natural", name="李四", id_number=RESIDENT_ID.lower()
    )
    assert party.id_number == RESIDENT_ID and party.id_warning == ""


def test_wrong_check_character_is_refused(world, case):
    with pytest.raises(ValidationFailed) as err:
        party_add(
            actor=world.head.user,
            case=case,
            party_type="natural",
            name="李四",
            id_number=RESIDENT_ID[:-1] + "1",
        )
    assert "GB 11643" in err.value.field_errors["id_number"][0]


def test_impossible_birth_date_is_refused(world, case):
    from stdnum.cn import ric

    body = "11010519491331002"  # month 13
    number = body + ric.calc_check_digit(body + "0")
    with pytest.raises(ValidationFailed) as err:
        party_add(actor=world.head.user, case=case, party_type="natural", name="李四", id_number=number)
    assert "id_number" in err.value.field_errors


def test_region_code_unknown_for_the_birth_date_is_only_a_warning(world, case):
    from stdnum.cn import ric

    body = "41018319880101001"  # 新密市 410183 (from 1994), born 1988: a re-issued ID
    number = body + ric.calc_check_digit(body + "0")
    party = party_add(actor=world.head.user, case=case, party_type="natural", name="王五", id_number=number)
    assert party.id_warning


def test_uscc_checksum(world, case):
    party = party_add(actor=world.head.user, case=case, party_type="legal", name="某公司", id_number=USCC)
    assert party.id_number == USCC
    with pytest.raises(ValidationFailed) as err:
        party_add(
            actor=world.head.user, case=case, party_type="legal", name="某公司", id_number=USCC[:-1] + "C"
        )
    assert "GB 32100" in err.value.field_errors["id_number"][0]


def test_party_without_identity_data_is_refused(world, case):
    with pytest.raises(ValidationFailed) as err:
        party_add(actor=world.head.user, case=case, party_type="natural", name="", id_number="")
    assert {"name", "id_number"} <= set(err.value.field_errors)


def test_officer_of_another_agency_may_not_add_parties(world, case):
    with pytest.raises(PermissionDenied):
        party_add(actor=world.outsider.user, case=case, party_type="legal", name="某公司", id_number=USCC)
