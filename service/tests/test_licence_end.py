"""Given an issued licence, when the head revokes, withdraws or cancels it (行政许可法 Arts.8, 69, 70),
then the status follows the transition table, a sealed decision with the remedies is issued, and the
licence's open time limits (expiry reminders, land return) are cancelled."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import Deadline, LedgerEntry
from documents.rendering import pdf_text
from documents.services import document_pdf
from service import selectors, services
from service.models import LicenceStatus
from service.services.licences import LICENCE_TRANSITIONS
from service.tests.conftest import terms

pytestmark = pytest.mark.django_db


def issued(world, **kw):
    from service.tests.conftest import submit

    app = submit(world, **kw)
    services.application_take(actor=world.clerk.user, application=app)
    services.application_accept(actor=world.clerk.user, application=app)
    today = timezone.localdate()
    temporary = kw.get("kind_id") == world.temp_kind.pk
    extra = {"return_date": today + datetime.timedelta(days=400)} if temporary else {}
    services.application_decide(actor=world.clerk.user, application=app, grant=True, terms=terms(**extra))
    return services.application_issue(actor=world.clerk.user, application=app)


def test_revocation_issues_a_sealed_decision_and_cancels_the_open_deadlines(world):
    licence = issued(world, kind_id=world.temp_kind.pk, project="施工临时用地")
    assert selectors.subject_deadlines(licence, open_only=True).count() == 2  # expiry + land return
    services.licence_end(
        actor=world.head.user,
        licence=licence,
        how="revoke",
        reason="被许可人以提供虚假材料的欺骗手段取得该行政许可",
        legal_basis="《中华人民共和国行政许可法》第六十九条第二款",
    )
    assert licence.status == LicenceStatus.REVOKED and licence.ended_on == timezone.localdate()
    assert not selectors.subject_deadlines(licence, open_only=True).exists()
    assert set(selectors.subject_deadlines(licence).values_list("status", flat=True)) == {
        Deadline.Status.CANCELLED
    }
    entry = json.loads(LedgerEntry.objects.get(act="licence.revoke", object_id=str(licence.pk)).payload)
    assert entry["from"] == "valid" and "虚假材料" in entry["reason"]
    document = services.subject_documents(licence).get()
    assert document.kind == "licence_revocation"
    text = pdf_text(document_pdf(actor=world.head.user, document=document)).replace("\n", "")
    expected_bits = ("撤销行政许可决定书", licence.number, "虚假材料", "第六十九条第二款", "六个月")
    for expected in expected_bits:
        assert expected in text
    # a revoked licence is no longer inspected nor offered for renewal, and may then be cancelled
    assert not selectors.due_inspections(world.head.user, on=licence.valid_until).exists()
    with pytest.raises(Conflict) as exc:
        services.licence_end(actor=world.head.user, licence=licence, how="withdraw", reason="公共利益")
    assert exc.value.code == "licence_transition_refused" and "注销" in exc.value.message
    services.licence_end(actor=world.head.user, licence=licence, how="cancel", reason="依法被撤销")
    assert licence.status == LicenceStatus.CANCELLED
    assert "第七十条" in licence.end_basis


def test_withdrawal_uses_article_8_by_default_and_needs_reasons(world):
    licence = issued(world)
    with pytest.raises(ValidationFailed) as exc:
        services.licence_end(actor=world.head.user, licence=licence, how="withdraw", reason=" ")
    assert "reason" in exc.value.field_errors
    with pytest.raises(ValidationFailed):
        services.licence_end(actor=world.head.user, licence=licence, how="suspend", reason="x")
    services.licence_end(
        actor=world.head.user, licence=licence, how="withdraw", reason="规划调整，为了公共利益的需要"
    )
    assert licence.status == LicenceStatus.WITHDRAWN and "第八条第二款" in licence.end_basis


def test_only_a_head_of_the_agency_ends_a_licence(world):
    licence = issued(world)
    for officer in (world.clerk, world.outsider):
        with pytest.raises(PermissionDenied):
            services.licence_end(actor=officer.user, licence=licence, how="revoke", reason="虚假材料")
    denied = LedgerEntry.objects.filter(act="auth.permission_denied", payload__contains="service.revoke")
    assert denied.count() == 2
    assert licence.status == LicenceStatus.VALID


def test_expiry_then_cancellation_follows_the_table(world):
    licence = issued(world)
    later = licence.valid_until + datetime.timedelta(days=1)
    assert services.licences_expiry_run(today=later) == {"renewed": 0, "expired": 1}
    licence.refresh_from_db()
    with pytest.raises(Conflict):
        services.licence_end(actor=world.head.user, licence=licence, how="revoke", reason="x")
    services.licence_end(actor=world.head.user, licence=licence, how="cancel", reason="有效期届满未延续")
    assert licence.status == LicenceStatus.CANCELLED


def test_transition_table_is_enforced_pairwise(world):
    from service.services.licences import _move_licence

    licence = issued(world)
    for start in LicenceStatus.values:
        for to in LicenceStatus.values:
            licence.status = start
            if to in LICENCE_TRANSITIONS[start]:
                _move_licence(licence, to=to, actor=None, act="licence.cancel")
                assert licence.status == to
            else:
                with pytest.raises(Conflict):
                    _move_licence(licence, to=to, actor=None, act="licence.cancel")


def test_a_renewal_cannot_revive_a_revoked_licence(world):
    licence = issued(world)
    today = timezone.localdate()
    from service.tests.conftest import submit

    renewal = submit(world, renewal_of_id=licence.pk, project="厂房扩建工程（延续）")
    services.application_take(actor=world.clerk.user, application=renewal)
    services.application_accept(actor=world.clerk.user, application=renewal)
    services.application_decide(
        actor=world.clerk.user,
        application=renewal,
        grant=True,
        terms=terms(valid_until=licence.valid_until + datetime.timedelta(days=365), valid_from=today),
    )
    services.licence_end(actor=world.head.user, licence=licence, how="revoke", reason="以欺骗手段取得")
    with pytest.raises(Conflict) as exc:
        services.application_issue(actor=world.clerk.user, application=renewal)
    assert exc.value.code == "licence_renewal_not_valid"
