import pytest

from core.testing import evidence_dir, key_dir  # noqa: F401  (fixtures)
from org.roles import Role
from org.tests.factories import AgencyFactory, OfficerFactory
from review.tests.factories import case_with_handlers, reviewer


@pytest.fixture(autouse=True)
def _document_files(key_dir, evidence_dir):  # noqa: F811
    """Case acts issue documents (PDF in the store, signed with the agency key): both in tmp_path."""
    return key_dir, evidence_dir


@pytest.fixture
def agency():
    return AgencyFactory(name="临安区自然资源局")


@pytest.fixture
def handlers(agency):
    return [OfficerFactory(agency=agency, certified_fields=["land"], name=n) for n in ("李执法", "王执法")]


@pytest.fixture
def case(agency, handlers):
    return case_with_handlers(agency=agency, handlers=handlers, number="临自然资罚〔2026〕1号")


@pytest.fixture
def heads(agency):
    return [
        OfficerFactory(agency=agency, roles=[Role.HEAD], name=n) for n in ("赵局长", "钱副局长", "孙副局长")
    ]


@pytest.fixture
def head(heads):
    return heads[0].user


@pytest.fixture
def qualified_reviewer(agency):
    return reviewer(agency=agency).user


@pytest.fixture(autouse=True)
def _combined_statuses_agree(monkeypatch):
    """Every status a test asks of the single selectors must also come out of `review_statuses`
    (the one-query form the case guards use), so each scenario here checks both."""
    from review import selectors

    for kind in ("legal_review", "deliberation", "risk_assessment"):
        single = getattr(selectors, f"{kind}_status")

        def checked(*, case_id, _single=single, _kind=kind):
            status = _single(case_id=case_id)
            assert selectors.review_statuses(case_id=case_id)[_kind] == status, _kind
            return status

        monkeypatch.setattr(selectors, f"{kind}_status", checked)
