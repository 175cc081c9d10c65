import datetime
import io

import pytest
from pypdf import PdfReader

from core.testing import evidence_dir, key_dir  # noqa: F401
from org.roles import Role
from org.tests.factories import AgencyFactory, OfficerFactory

DAY = datetime.date(2026, 3, 5)


@pytest.fixture(autouse=True)
def _keys(key_dir):  # noqa: F811 - the fixture imported above
    """Agency signing keys in a temporary ZHIFA_KEY_DIR."""
    return key_dir


@pytest.fixture
def agency(db):
    return AgencyFactory(name="临安区自然资源局", short_name="临自然资")


@pytest.fixture
def officer(agency):
    return OfficerFactory(agency=agency, roles=[Role.OFFICER]).user


@pytest.fixture
def system_admin(agency):
    return OfficerFactory(agency=agency, roles=[Role.SYSTEM_ADMIN]).user


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def squash(text: str) -> str:
    return "".join(text.split())


def decision_context(**overrides):
    from documents.kinds import KINDS

    context = dict(KINDS["penalty_decision"].sample)
    context.update(party_name="张三", party_id_number="330102199001011234", party_address="临安区锦城街道1号")
    context.update(overrides)
    return context
