import pytest

from core.testing import evidence_dir, key_dir  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _document_files(key_dir, evidence_dir):  # noqa: F811
    """The demo's case acts issue documents (PDF in the store, signed with the agency key): both in
    tmp_path."""
    return key_dir, evidence_dir
