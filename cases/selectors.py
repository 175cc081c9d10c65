"""Reads of penalty cases, scoped to the actor, and the hooks other apps use."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cases.models import Case, CaseEvent, CaseOfficer
from core.errors import NotFound
from core.models import Deadline, LegalSetting
from org.selectors import visible_agency_ids

OPEN_DEADLINE = (
    Deadline.Status.OPEN,
    Deadline.Status.DUE_SOON,
    Deadline.Status.OVERDUE,
    Deadline.Status.PAUSED,
)


def legal_setting(key: str, default: Any) -> Any:
    """A legal figure kept as data (core.LegalSetting, seeded by cases/0002); `default` if absent."""
    row = LegalSetting.objects.filter(key=key).values_list("value", flat=True).first()
    return default if row is None else row


def legal_setting_int(key: str, default: int) -> int:
    value = legal_setting(key, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def visible_cases(actor: Any) -> QuerySet[Case]:
    """The cases of the agencies `actor` may read (org.selectors.visible_agency_ids)."""
    return Case.objects.filter(agency_id__in=visible_agency_ids(actor)).select_related("lead")


def case_get(*, case_id: int, actor: Any) -> Case:
    """One case the actor may read; NotFound otherwise (no hint whether it exists elsewhere)."""
    case = visible_cases(actor).filter(pk=case_id).first()
    if case is None:
        raise NotFound(
            _("Case %(id)s does not exist or is outside your agencies.") % {"id": case_id},
            code="case_not_found",
        )
    return case


def case_events(*, case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case=case).order_by("seq")


def case_officer_ids(*, case: Case, active_only: bool = True) -> list[int]:
    qs = CaseOfficer.objects.filter(case=case)
    if active_only:
        qs = qs.filter(active=True)
    return list(qs.values_list("officer_id", flat=True))


def case_handler_user_ids(*, case_id: int) -> set[int]:
    """Users who handled (investigated) the case, including officers who later withdrew (回避).

    For the review app: a legal reviewer never reviews a case they handled.
    """
    return set(CaseOfficer.objects.filter(case_id=case_id).values_list("officer__user_id", flat=True))


def case_deadlines(*, case: Case, kind: str | None = None, open_only: bool = False) -> QuerySet[Deadline]:
    qs = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Case), subject_id=str(case.pk)
    )
    if kind is not None:
        qs = qs.filter(kind=kind)
    if open_only:
        qs = qs.filter(status__in=OPEN_DEADLINE)
    return qs.order_by("due_date", "pk")
