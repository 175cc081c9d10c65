import pytest

from cases.tests.factories import case_world
from core.testing import evidence_dir, key_dir  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _document_files(key_dir, evidence_dir):  # noqa: F811
    """Acts issue documents (PDF in the store, signed with the agency key): both in tmp_path."""
    return key_dir, evidence_dir


@pytest.fixture(autouse=True)
def review_passed(monkeypatch):
    """The review app's answers, by default "passed"; tests set `review_passed.status[...]`."""

    class Answers:
        status: dict[str, str] = {}

    answers = Answers()
    answers.status = {}
    monkeypatch.setattr(
        "cases.workflow.guards.review_status", lambda kind, case_id: answers.status.get(kind, "passed")
    )
    return answers


@pytest.fixture
def world(db):
    return case_world()
