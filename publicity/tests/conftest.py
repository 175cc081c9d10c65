import datetime

import pytest

from org.roles import Role
from org.tests.factories import AgencyFactory, CertificateFactory, OfficerFactory
from publicity.tests.test_masking import PARTY_ID, REALISTIC, THIRD_ID


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()  # the search facets and the throttles live in the cache
    yield
    cache.clear()


@pytest.fixture
def agency(db):
    return AgencyFactory(name="新密市自然资源局", duties="负责本行政区域自然资源执法。")


@pytest.fixture
def drafter(agency):
    return OfficerFactory(agency=agency, roles=[Role.OFFICER], name="王执法").user


@pytest.fixture
def reviewer(agency):
    return OfficerFactory(agency=agency, roles=[Role.LEGAL_REVIEWER], name="李审核").user


@pytest.fixture
def party_data():
    return {
        "persons": ["张三"],
        "organisations": ["新密市宏达建材有限公司"],
        "id_numbers": [PARTY_ID],
        "addresses": ["河南省新密市超化镇后寨村3组15号"],
        "phones": ["13812345678"],
    }


@pytest.fixture
def draft(drafter, agency, party_data):
    from publicity.services import publication_draft

    return publication_draft(
        actor=drafter,
        case_id=42,
        agency_id=agency.pk,
        title="新密市自然资源局行政处罚决定书（张某非法占地案）",
        text=REALISTIC,
        party_data=party_data,
        due_on=datetime.date.today() + datetime.timedelta(days=9),
        document_number="新自然资罚〔2024〕12号",
        decided_on=datetime.date.today(),
    )


@pytest.fixture
def published(draft, reviewer):
    from publicity.services import publication_approve, publication_publish

    publication_approve(actor=reviewer, publication=draft)
    return publication_publish(actor=reviewer, publication=draft)


@pytest.fixture
def certificate(agency):
    officer = OfficerFactory(agency=agency, name="赵执法", phone="13999990000")
    return CertificateFactory(officer=officer, number="豫ZF41018300001")


SECRETS = (PARTY_ID, THIRD_ID, "410183850302001", "13812345678", "张三", "欧阳娜娜", "李四", "后寨村3组15号")
