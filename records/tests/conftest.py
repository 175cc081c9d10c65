import pytest

from cases.tests.factories import case_world, new_case
from core.testing import evidence_dir  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _store(evidence_dir):  # noqa: F811
    """Every records test stores files in a fresh temporary store."""
    return evidence_dir


@pytest.fixture
def world(db):
    return case_world()


@pytest.fixture
def case(world):
    return new_case(world)
