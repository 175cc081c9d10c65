"""Worker targets for the multi-process tests (core.testing.run_workers calls them by dotted name)."""

from __future__ import annotations

from typing import Any


def setup_agency() -> dict[str, int]:
    """An agency and an officer on the scratch database; their ids."""
    from org.roles import Role
    from org.tests.factories import AgencyFactory, OfficerFactory

    agency = AgencyFactory(name="临安区自然资源局", short_name="临自然资")
    officer = OfficerFactory(agency=agency, roles=[Role.OFFICER])
    return {"agency": agency.pk, "user": officer.user.pk}


def issue_with_key(agency_id: int, user_id: int, key: str) -> dict[str, Any]:
    """document_issue of the sample decision about case 42 with an idempotency key."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    from documents.kinds import KINDS
    from documents.services import document_issue

    Agency = apps.get_model("org", "Agency")
    document = document_issue(
        actor=get_user_model().objects.get(pk=user_id),
        kind="penalty_decision",
        context=dict(KINDS["penalty_decision"].sample),
        subject_type="cases.case",
        subject_id=42,
        agency=Agency.objects.get(pk=agency_id),
        key=key,
    )
    return {"pk": document.pk, "number": document.number}


def counts() -> dict[str, int]:
    from core.models import IssuedNumber, LedgerEntry
    from documents.models import Document

    return {
        "documents": Document.objects.count(),
        "numbers": IssuedNumber.objects.count(),
        "issue_acts": LedgerEntry.objects.filter(act="document.issue").count(),
        "stored_pdfs": LedgerEntry.objects.filter(act="document.file_store").count(),
    }
