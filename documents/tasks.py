"""Background jobs of documents (django.tasks; `zhifa db_worker` runs them).

`document_issue_task` issues one document off the request: the caller enqueues it with an
idempotency key (e.g. the case act's id), so a retried or duplicated task still yields one document.
"""

from __future__ import annotations

from typing import Any

from django.tasks import task


@task
def document_issue_task(
    *,
    actor_id: int | None,
    kind: str,
    context: dict[str, Any],
    subject_type: str,
    subject_id: str,
    agency_id: int,
    key: str,
    number_sequence: str | None = None,
    on: str | None = None,
) -> dict[str, Any]:
    """Issue a document (documents.services.document_issue) from JSON arguments; its number and code."""
    import datetime

    from django.apps import apps
    from django.contrib.auth import get_user_model

    from documents.services import document_issue

    actor = get_user_model().objects.get(pk=actor_id) if actor_id is not None else None
    document = document_issue(
        actor=actor,
        kind=kind,
        context=context,
        subject_type=subject_type,
        subject_id=subject_id,
        agency=apps.get_model("org", "Agency").objects.get(pk=agency_id),
        number_sequence=number_sequence,
        on=datetime.date.fromisoformat(on) if on else None,
        key=key,
    )
    return {"id": document.pk, "number": document.number, "verification_code": document.verification_code}
