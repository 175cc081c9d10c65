"""core.prepared: reads compiled once per process must return exactly what their builders return,
and builders that cannot be prepared safely are refused (on SQLite and on PostgreSQL in CI)."""

from __future__ import annotations

import datetime
import inspect
import itertools
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

import cases.documents
import cases.selectors
import catalog.policies
import catalog.services.major
import documents.selectors
import org.mfa
import org.selectors
import publicity.selectors
import records.selectors
from cases.models import Case, CaseEvent, Party
from cases.tests.factories import new_case, walk
from core.prepared import REGISTRY, PreparedRead, PreparedReadError

pytestmark = pytest.mark.django_db

assert cases.documents and cases.selectors and documents.selectors and org.mfa and org.selectors
# imported for their prepared reads (REGISTRY)
assert publicity.selectors and catalog.services.major and records.selectors


def _fields(obj: Any, seen: frozenset[int] = frozenset()) -> Any:
    """A row as data: its column values and, recursively, the related rows select_related filled
    (a row met again on the way down, e.g. a user's officer back from the officer's user, by name)."""
    if not isinstance(obj, Model):
        return obj
    if id(obj) in seen:
        return (type(obj).__name__, obj.pk)
    values = {k: v for k, v in obj.__dict__.items() if not k.startswith("_")}
    inner = seen | {id(obj)}
    related = {k: _fields(v, inner) for k, v in obj._state.fields_cache.items() if k != "case"}
    return (type(obj).__name__, values, related)


def _arguments(
    read: PreparedRead[Any], case: Case, user_id: int, session_key: str = ""
) -> tuple[int | datetime.date | str, ...]:
    chain = [*catalog.policies.agency_chain(case.agency), 0, 0, 0, 0]
    by_name = {
        "case_id": case.pk,
        "sid": case.pk,
        "user_id": user_id,
        "content_type_id": ContentType.objects.get_for_model(Case).pk,
        **{f"a{i}": chain[i] for i in range(4)},
        "day": datetime.date.today(),
        "key": session_key,
    }
    return tuple(by_name[name] for name in inspect.signature(read.build).parameters)


@pytest.mark.parametrize("status", ["investigating", "decided"])
def test_every_prepared_read_returns_what_its_builder_returns(client, world, status):
    case = walk(new_case(world), world, status)
    # the case page asks most of them; the documents read of "cases.case" is made on first use
    client.force_login(world.officer1.user)
    documents.selectors.subject_document_list(actor=None, subject_type="cases.case", subject_id=case.pk)
    checked = 0
    for read in REGISTRY:
        if read.name.startswith("test:"):
            continue
        args = _arguments(read, case, world.officer1.user.pk, client.session.session_key)
        prepared = [_fields(row) for row in read(*args)]
        built = [_fields(row) for row in read.build(*args)]
        assert prepared == built, read
        assert read(*args) == list(read.build(*args))  # twice: the compiled statement is reused
        checked += 1
    assert checked >= 12
    # rows exist for the interesting ones, so the comparison compared something
    assert cases.selectors.case_party_list(case) and cases.selectors.case_event_list(case)
    assert org.selectors.officer_for(world.officer1.user) is not None


def test_select_related_rows_come_with_the_one_query(world, django_assert_num_queries):
    case = walk(new_case(world), world, "investigating")
    cases.selectors.case_event_list(case)  # compiled
    with django_assert_num_queries(1):
        events = cases.selectors.case_event_list(case)
        actors = [e.actor for e in events]
        assert [e.case for e in events] == [case] * len(events)
    assert events and any(a is not None for a in actors)


def test_an_argument_the_builder_transforms_is_refused():
    read = PreparedRead(lambda case_id: Party.objects.filter(case_id=case_id + 1), name="test:shifted")
    with pytest.raises(PreparedReadError, match="do not reach the SQL"):
        read(1)


def test_a_builder_that_depends_on_more_than_its_ids_is_refused():
    counter = itertools.count()
    read = PreparedRead(
        lambda case_id: CaseEvent.objects.filter(case_id=case_id, seq__gte=next(counter)), name="test:clock"
    )
    with pytest.raises(PreparedReadError, match="depends on more than the ids"):
        read(1)


def test_a_builder_that_reads_the_clock_is_refused():
    from django.utils import timezone

    from core.models import Deadline

    read = PreparedRead(
        lambda case_id: Deadline.objects.filter(subject_id=str(case_id), due_date__lt=timezone.localdate()),
        name="test:today",
    )
    with pytest.raises(PreparedReadError, match="would keep"):
        read(1)


def test_distinct_values_ordered_by_another_column_fetched_together(world):
    """DISTINCT with an ORDER BY column outside the select list: Django adds the column to the SELECT
    and cuts it from the rows; the batch must cut it too."""
    from django.db import connection

    from core.prepared import fetch_together

    case = walk(new_case(world), world, "investigating")
    read = PreparedRead(
        lambda case_id: (
            Party.objects.filter(case_id=case_id)
            .distinct()
            .order_by("case__registered_on", "name")
            .values_list("name")
        ),
        name="test:distinct",
    )
    alone = read(case.pk)
    together = fetch_together((read, (case.pk,)), (cases.selectors._PARTIES, (case.pk,)))[0]
    assert alone == together and alone and all(len(row) == 1 for row in together), connection.vendor


def test_ids_are_ints_and_out_of_range_ids_find_nothing(world):
    case = walk(new_case(world), world, "investigating")
    read = PreparedRead(lambda case_id: Party.objects.filter(case_id=case_id), name="test:parties")
    with pytest.raises(TypeError):
        read(str(case.pk))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        read(True)
    with pytest.raises(TypeError):
        read()
    assert read(2**70) == [] and read(-(2**70)) == []
    assert [p.pk for p in read(case.pk)] == list(case.parties.values_list("pk", flat=True))
    assert read(case.pk + 10_000) == []


def test_values_list_and_text_ids(world):
    case = walk(new_case(world), world, "investigating")
    roles = org.selectors.roles_of(user=world.officer1.user)
    assert roles  # values_list(flat=True) through the prepared statement
    deadlines = cases.selectors.case_deadline_list(case)  # subject_id = str(case_id)
    assert [d.pk for d in deadlines] == list(
        cases.selectors.case_deadlines(case=case).values_list("pk", flat=True)
    )
    assert deadlines


@pytest.mark.parametrize("status", ["investigating", "decided"])
def test_reads_fetched_together_are_the_reads_one_by_one(world, status, django_assert_max_num_queries):
    """One round trip on PostgreSQL (statements joined), one after another on SQLite: same rows."""
    from django.db import connection

    from core.prepared import fetch_together

    case = walk(new_case(world), world, status)
    ct = ContentType.objects.get_for_model(Case).pk
    calls = [
        (cases.selectors._PARTIES, (case.pk,)),
        (cases.selectors._EVENTS, (case.pk,)),
        (cases.selectors._DELIVERIES, (case.pk,)),
        (cases.selectors._DEADLINES, (ct, case.pk)),
        (cases.selectors._REMEDIES, (2**70,)),  # beyond a bigint: no statement, no rows
        (cases.documents.ACTIVE_OFFICERS, (case.pk,)),
    ]
    one_by_one = [[_fields(r) for r in read(*args)] for read, args in calls]
    with django_assert_max_num_queries(1 if connection.vendor == "postgresql" else 5):
        together = fetch_together(*calls)
    assert [[_fields(r) for r in rows] for rows in together] == one_by_one
    assert one_by_one[0] and one_by_one[1] and one_by_one[3] and one_by_one[4] == []


def test_the_case_page_prefetch_fills_the_memo_with_what_each_read_gives(world):
    from cases.memo import memo_scope

    case = walk(new_case(world), world, "decided")
    plain = (
        cases.selectors.case_party_list(case),
        cases.selectors.case_event_list(case),
        cases.selectors.case_deadline_list(case),
        cases.documents.active_case_officers(case),
    )
    with memo_scope():
        cases.selectors.prefetch_case_page(case)
        within = (
            cases.selectors.case_party_list(case),
            cases.selectors.case_event_list(case),
            cases.selectors.case_deadline_list(case),
            cases.documents.active_case_officers(case),
        )
    assert [[_fields(r) for r in rows] for rows in within] == [[_fields(r) for r in rows] for rows in plain]
    assert all(row.case is case for row in within[0] + within[1])


def test_a_moment_is_not_a_day():
    read = catalog.services.major._RULES_IN_FORCE
    with pytest.raises(TypeError, match="date"):
        read(1, 0, 0, 0, datetime.datetime(2026, 1, 1, 12, 0))


def test_keys_are_arguments_compared_as_they_are(world):
    """A str argument reaches the SQL as itself; one the builder turns into a pattern is refused."""
    case = new_case(world)
    by_title = PreparedRead(lambda title: Case.objects.filter(title=title), name="test:by_title")
    assert by_title(case.title) == [case] and by_title("no such title") == []
    pattern = PreparedRead(lambda title: Case.objects.filter(title__startswith=title), name="test:pattern")
    with pytest.raises(PreparedReadError, match="do not reach the SQL"):
        pattern(case.title)


def test_rows_read_on_another_connection_are_converted_for_it(world):
    """The row converters (JSON, and on SQLite dates and decimals) are kept per connection object (a
    thread's own): a read run on one connection gives the same values through another. The other
    wrapper shares this one's database session, so it sees the test's uncommitted rows."""
    from django.db import connections

    case = walk(new_case(world), world, "decided")
    read = cases.selectors._CASE_BY_ID
    here = _fields(read.first(case.pk))
    mine = connections["default"]
    other = connections.create_connection("default")
    other.connection = mine.connection
    connections["default"] = other
    try:
        row = read.first(case.pk)
        there = _fields(row)
    finally:
        connections["default"] = mine
        other.connection = None  # the session is this test's: not the other wrapper's to close
    assert there == here
    compiled = next(iter(read._compiled.values()))
    assert compiled.converters is not None and {mine, other} <= set(compiled.converters)
    assert row is not None and isinstance(row.decided_kinds, list) and row.decided_kinds
    assert isinstance(row.decided_on, datetime.date) and row.decided_on == case.decided_on
