"""Template versions: every edit a new draft, syntax checked, activation only with every legal element."""

import json

import pytest

from core.errors import PermissionDenied
from core.models import LedgerEntry
from documents.models import TemplateStatus, TemplateVersion
from documents.rendering import TemplateInvalid
from documents.services import (
    ElementsMissing,
    template_preview_pdf,
    template_version_activate,
    template_version_create,
)
from documents.tests.conftest import squash, text_of
from org.roles import Role
from org.tests.factories import AgencyFactory, OfficerFactory


def active(kind="penalty_decision"):
    return TemplateVersion.objects.get(kind=kind, status=TemplateStatus.ACTIVE)


def without_remedies(body):
    start = body.index("<p>如不服本处罚决定")
    end = body.index("</p>", start) + len("</p>")
    return body[:start] + body[end:]


def test_the_migration_seeds_version_1_of_every_kind_as_active(db):
    from documents.kinds import KINDS

    assert set(
        TemplateVersion.objects.filter(status="active", version=1).values_list("kind", flat=True)
    ) == set(KINDS)


def test_an_edit_makes_a_new_draft_version_and_a_ledger_act(system_admin):
    base = active()
    version = template_version_create(
        actor=system_admin,
        kind="penalty_decision",
        body=base.body + "<p>附：缴款说明。</p>",
        note="加缴款说明",
        based_on=base,
    )

    assert (version.version, version.status, version.created_by) == (2, TemplateStatus.DRAFT, system_admin)
    assert active().pk == base.pk
    entry = LedgerEntry.objects.get(act="document.template_create")
    payload = json.loads(entry.payload)
    assert payload["version"] == 2 and payload["based_on"] == 1 and payload["note"] == "加缴款说明"


def test_activation_retires_the_previous_version(system_admin):
    base = active()
    draft = template_version_create(
        actor=system_admin, kind="penalty_decision", body=base.body, based_on=base
    )

    template_version_activate(actor=system_admin, version=draft)

    base.refresh_from_db()
    draft.refresh_from_db()
    assert (base.status, draft.status) == (TemplateStatus.RETIRED, TemplateStatus.ACTIVE)
    payload = json.loads(LedgerEntry.objects.get(act="document.template_activate").payload)
    assert payload["before"] == {"active_version": 1} and payload["after"] == {"active_version": 2}


def test_activation_is_refused_when_the_sample_lacks_an_element(system_admin):
    draft = template_version_create(
        actor=system_admin, kind="penalty_decision", body=without_remedies(active().body)
    )

    with pytest.raises(ElementsMissing) as exc:
        template_version_activate(actor=system_admin, version=draft)

    assert "申请行政复议和提起行政诉讼的途径和期限" in exc.value.message
    assert "第59条" in exc.value.message
    draft.refresh_from_db()
    assert draft.status == TemplateStatus.DRAFT
    assert not LedgerEntry.objects.filter(act="document.template_activate").exists()


def test_an_active_or_retired_version_cannot_be_activated_again(system_admin):
    from core.errors import Conflict

    with pytest.raises(Conflict):
        template_version_activate(actor=system_admin, version=active())


@pytest.mark.parametrize(
    "body",
    [
        "<p>{% if party_name %}{{ party_name }}</p>",  # unclosed block
        "<p>{{ party_name|nosuchfilter }}</p>",
        '{% include "base.html" %}',
        "{% load static %}<p>x</p>",
        "<p>{{ facts|safe }}</p>",
        "   ",
    ],
)
def test_a_template_with_a_syntax_error_or_a_forbidden_tag_cannot_be_saved(system_admin, body):
    with pytest.raises(TemplateInvalid) as exc:
        template_version_create(actor=system_admin, kind="penalty_decision", body=body)

    assert exc.value.field_errors["body"]
    assert TemplateVersion.objects.filter(kind="penalty_decision").count() == 1


def test_the_preview_renders_the_sample_marked_as_sample(system_admin):
    text = squash(text_of(template_preview_pdf(actor=system_admin, version=active())))

    assert "样本" in text and "行政处罚决定书" in text and "某某建材有限公司" in text


def test_only_the_system_administrator_of_a_top_level_agency_edits_templates(agency):
    province = AgencyFactory(province=True)
    child = AgencyFactory(parent=province)
    refused = [
        OfficerFactory(agency=agency, roles=[Role.OFFICER]).user,
        OfficerFactory(agency=agency, roles=[Role.HEAD]).user,
        OfficerFactory(agency=agency, roles=[Role.SECURITY_ADMIN]).user,
        OfficerFactory(agency=child, roles=[Role.SYSTEM_ADMIN]).user,
    ]
    for user in refused:
        with pytest.raises(PermissionDenied):
            template_version_create(actor=user, kind="penalty_decision", body="<p>{{ party_name }}</p>")
        with pytest.raises(PermissionDenied):
            template_version_activate(actor=user, version=active())
    assert LedgerEntry.objects.filter(act="auth.permission_denied").count() == 2 * len(refused)
    assert TemplateVersion.objects.filter(kind="penalty_decision").count() == 1


@pytest.mark.parametrize("kind", sorted(__import__("documents.kinds", fromlist=["KINDS"]).KINDS))
def test_every_default_template_has_every_legal_element_of_its_kind(db, kind):
    """The activation check passes for each seeded version 1, with the kind's sample data."""
    from documents.services import template_version_check

    assert template_version_check(version=active(kind)) == []
