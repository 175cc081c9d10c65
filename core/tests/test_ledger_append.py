import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from core.models import LedgerEntry
from core.services.ledger import GENESIS_HASH, ledger_append

pytestmark = pytest.mark.django_db


def test_given_empty_ledger_when_two_acts_appended_then_they_chain():
    first = ledger_append(actor=None, act="test.one", payload={"名称": "甲"})
    second = ledger_append(actor=None, act="test.two")
    assert first.seq == 1 and first.prev_hash == GENESIS_HASH
    assert second.seq == 2 and second.prev_hash == first.entry_hash


def test_an_entry_cannot_be_updated_or_deleted_even_by_raw_sql():
    entry = ledger_append(actor=None, act="test.one")
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("UPDATE core_ledgerentry SET act = 'forged' WHERE id = %s", [entry.pk])
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("DELETE FROM core_ledgerentry WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).act == "test.one"


def test_the_orm_refuses_bulk_update_and_delete():
    ledger_append(actor=None, act="test.one")
    with pytest.raises(TypeError):
        LedgerEntry.objects.all().update(act="x")
    with pytest.raises(TypeError):
        LedgerEntry.objects.all().delete()
