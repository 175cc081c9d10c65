"""事后公开: draft → masked → approved → published → withdrawn, one _move, every move a ledger act."""

from __future__ import annotations

import datetime
import itertools
import json

import pytest

from core.errors import DomainError, PermissionDenied
from core.models import LedgerEntry
from org.roles import Role
from org.tests.factories import OfficerFactory
from publicity.models import Publication, PublicationStatus
from publicity.services import (
    _move,
    publication_approve,
    publication_draft,
    publication_publish,
    publication_withdraw,
)
from publicity.states import TRANSITIONS
from publicity.tests.conftest import SECRETS

pytestmark = pytest.mark.django_db


def acts(pub):
    return list(
        LedgerEntry.objects.filter(object_id=str(pub.pk), act__startswith="publication.")
        .order_by("pk")
        .values_list("act", flat=True)
    )


def test_draft_masks_at_once_and_records_findings(draft):
    assert draft.status == PublicationStatus.MASKED
    assert draft.party_label == "新密市宏达建材有限公司"
    for secret in SECRETS:
        assert secret not in draft.masked_text
    kinds = {f["kind"] for f in draft.findings}
    assert {"id_number", "mobile", "landline", "bank_account", "address", "name"} <= kinds
    assert acts(draft) == ["publication.draft", "publication.mask"]


def test_ledger_payload_holds_counts_not_the_personal_data(draft):
    entry = LedgerEntry.objects.get(object_id=str(draft.pk), act="publication.mask")
    text = str(json.loads(entry.payload))
    assert "张三" not in text and "13812345678" not in text


def test_full_life_and_ledger(published, reviewer):
    assert published.status == PublicationStatus.PUBLISHED
    publication_withdraw(actor=reviewer, publication=published, reason="行政复议决定撤销原处罚决定")
    published.refresh_from_db()
    assert published.status == PublicationStatus.WITHDRAWN
    assert acts(published) == [
        "publication.draft",
        "publication.mask",
        "publication.approve",
        "publication.publish",
        "publication.withdraw",
    ]


ALL = [s.value for s in PublicationStatus]


@pytest.mark.parametrize(("source", "target"), list(itertools.product(ALL, ALL)))
def test_transition_table_pairwise(draft, source, target):
    Publication.objects.filter(pk=draft.pk).update(status=source)
    draft.refresh_from_db()
    if target in TRANSITIONS[source]:
        _move(draft, to=target, actor=None)
        assert Publication.objects.get(pk=draft.pk).status == target
    elif target == PublicationStatus.DRAFT:
        with pytest.raises(KeyError):  # nothing moves back to draft
            _move(draft, to=target, actor=None)
    else:
        with pytest.raises(DomainError) as exc:
            _move(draft, to=target, actor=None)
        assert exc.value.code == "publication_transition"
        assert exc.value.basis


def test_publish_before_approval_is_refused_naming_the_rule(draft, reviewer):
    with pytest.raises(DomainError) as exc:
        publication_publish(actor=reviewer, publication=draft)
    assert "审核" in exc.value.message
    assert exc.value.basis == "行政处罚法第四十八条"


def test_withdraw_twice_is_refused(published, reviewer):
    publication_withdraw(actor=reviewer, publication=published, reason="撤销")
    with pytest.raises(DomainError) as exc:
        publication_withdraw(actor=reviewer, publication=published, reason="撤销")
    assert exc.value.code == "publication_transition"


def test_drafter_may_not_approve(draft, drafter):
    with pytest.raises((DomainError, PermissionDenied)):
        publication_approve(actor=drafter, publication=draft)


def test_drafter_with_reviewer_role_still_may_not_approve(agency, party_data):
    user = OfficerFactory(agency=agency, roles=[Role.OFFICER, Role.LEGAL_REVIEWER]).user
    pub = publication_draft(
        actor=user,
        case_id=1,
        agency_id=agency.pk,
        title="t",
        text="当事人张三。",
        party_data=party_data,
        due_on=datetime.date.today(),
    )
    with pytest.raises(DomainError) as exc:
        publication_approve(actor=user, publication=pub)
    assert exc.value.code == "publication_same_reviewer"


def test_officer_of_another_agency_is_refused_and_recorded(draft):
    stranger = OfficerFactory(roles=[Role.LEGAL_REVIEWER]).user
    with pytest.raises(PermissionDenied):
        publication_approve(actor=stranger, publication=draft)
    assert LedgerEntry.objects.filter(act="auth.permission_denied").exists()


def test_plain_officer_may_not_approve(draft, agency):
    other = OfficerFactory(agency=agency, roles=[Role.OFFICER]).user
    with pytest.raises(PermissionDenied):
        publication_approve(actor=other, publication=draft)


def test_reviewer_edits_the_masked_text(draft, reviewer):
    edited = draft.masked_text.replace("新密市宏达建材有限公司", "某建材公司")
    pub = publication_approve(actor=reviewer, publication=draft, masked_text=edited)
    assert pub.masked_text == edited
    entry = LedgerEntry.objects.get(object_id=str(pub.pk), act="publication.approve")
    assert json.loads(entry.payload)["edited"] is True


@pytest.mark.parametrize("leak", ["13812345678", "张三", "后寨村3组15号", "4101 8319 8807 1500 1"])
def test_approval_refused_while_personal_data_remains(draft, reviewer, leak):
    from publicity.tests.test_masking import PARTY_ID

    leak = leak if not leak.startswith("4101 ") else PARTY_ID
    with pytest.raises(DomainError) as exc:
        publication_approve(actor=reviewer, publication=draft, masked_text=draft.masked_text + leak)
    assert exc.value.code == "publication_personal_data"
    assert "第五十条" in exc.value.basis
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.MASKED


def test_withdrawal_needs_a_clean_reason(published, reviewer):
    with pytest.raises(DomainError):
        publication_withdraw(actor=reviewer, publication=published, reason="  ")
    with pytest.raises(DomainError):
        publication_withdraw(actor=reviewer, publication=published, reason="张三申请撤销")


def test_system_may_withdraw(published):
    pub = publication_withdraw(actor=None, publication=published, reason="原处罚决定被人民法院判决撤销")
    assert pub.status == PublicationStatus.WITHDRAWN and pub.withdrawal_reason


def test_empty_text_is_refused(drafter, agency):
    with pytest.raises(DomainError):
        publication_draft(
            actor=drafter,
            case_id=1,
            agency_id=agency.pk,
            title="t",
            text=" ",
            party_data={},
            due_on=datetime.date.today(),
        )
