# ruff: noqa: F811  (pytest fixtures imported from core.testing)
"""Two requests for the same document (same subject, kind and idempotency key): one document, one number."""

import pytest

from core.models import IssuedNumber, LedgerEntry
from core.testing import run_workers, scratch_db  # noqa: F401
from documents.models import Document
from documents.services import document_issue
from documents.tests.conftest import DAY, decision_context


def issue(officer, agency, **kw):
    return document_issue(
        actor=officer,
        kind="penalty_decision",
        context=kw.pop("context", decision_context()),
        subject_type="cases.case",
        subject_id=kw.pop("subject_id", 42),
        agency=agency,
        on=DAY,
        **kw,
    )


def test_a_repeated_request_with_the_same_key_returns_the_document_already_issued(
    evidence_dir, officer, agency
):
    first = issue(officer, agency, key="act-17")
    again = issue(officer, agency, key="act-17", context=decision_context(fine_amount="人民币壹元整"))

    assert again.pk == first.pk and again.number == first.number
    assert Document.objects.count() == 1
    assert IssuedNumber.objects.count() == 1
    assert LedgerEntry.objects.filter(act="document.issue").count() == 1


def test_another_key_subject_or_no_key_issues_another_document(evidence_dir, officer, agency):
    a = issue(officer, agency, key="act-17")
    b = issue(officer, agency, key="act-18")
    c = issue(officer, agency, key="act-17", subject_id=43)
    d = issue(officer, agency)
    e = issue(officer, agency)

    assert len({x.number for x in (a, b, c, d, e)}) == 5
    assert (a.idempotency_key, d.idempotency_key) == ("act-17", "")


@pytest.mark.slow
def test_two_concurrent_processes_with_the_same_key_produce_one_document_and_one_number(scratch_db, tmp_path):
    env = {"ZHIFA_DATA_DIR": str(tmp_path), "ZHIFA_KEY_DIR": str(tmp_path / "keys")}
    ids = run_workers(scratch_db, "documents.tests.workers.setup_agency", [()], env=env)[0]

    results = run_workers(
        scratch_db,
        "documents.tests.workers.issue_with_key",
        [(ids["agency"], ids["user"], "act-1")] * 3,
        env=env,
    )

    assert len({r["pk"] for r in results}) == 1, results
    assert len({r["number"] for r in results}) == 1
    assert results[0]["number"].endswith("〕1号")
    counts = run_workers(scratch_db, "documents.tests.workers.counts", [()], env=env)[0]
    assert counts == {"documents": 1, "numbers": 1, "issue_acts": 1, "stored_pdfs": 1}
