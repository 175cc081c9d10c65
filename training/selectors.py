"""Reads on training, scoped to the actor. `exam_results` is the figure supervision uses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from org.selectors import officer_for, read_agency_ids
from training.models import AnnualReview, Attempt, AttemptStatus, Exam, ExamMode, Question, TrainingSession


def _scoped(qs: QuerySet[Any], actor: Any, field: str = "agency_id") -> QuerySet[Any]:
    ids = read_agency_ids(actor)
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def exam_results(agency_ids: Iterable[int], start: dt.date, end: dt.date) -> QuerySet[Any]:
    """Marked exam results of the agencies between `start` and `end` (inclusive, by marking day):
    one row per attempt with officer, department, exam, score, percent and passed."""
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return (
        Attempt.objects.filter(
            agency_id__in=list(agency_ids), status=AttemptStatus.MARKED, marked_at__gte=lo, marked_at__lt=hi
        )
        .order_by("marked_at", "pk")
        .values(
            "pk",
            "agency_id",
            "officer_id",
            "officer__name",
            "officer__department_id",
            "exam_id",
            "exam__title",
            "exam__subject",
            "exam__mode",
            "score",
            "max_score",
            "percent",
            "passed",
            "marked_at",
        )
    )


def open_exams_for(actor: Any) -> QuerySet[Exam]:
    """Online exams of the actor's agency open now."""
    officer = officer_for(actor)
    if officer is None:
        return Exam.objects.none()
    now = timezone.now()
    return Exam.objects.filter(
        agency_id=officer.agency_id, mode=ExamMode.ONLINE, opens_at__lte=now, closes_at__gt=now
    ).order_by("closes_at", "pk")


def my_attempts(actor: Any) -> QuerySet[Attempt]:
    officer = officer_for(actor)
    if officer is None:
        return Attempt.objects.none()
    return Attempt.objects.filter(officer_id=officer.pk).select_related("exam").order_by("-pk")


def attempts_for(actor: Any, *, status: str = "", exam_id: int | None = None) -> QuerySet[Attempt]:
    qs = _scoped(Attempt.objects.select_related("exam", "officer"), actor).order_by("-pk")
    if status:
        qs = qs.filter(status=status)
    if exam_id:
        qs = qs.filter(exam_id=exam_id)
    return qs


def attempt_get(*, attempt_id: int, actor: Any) -> Attempt | None:
    """The attempt if the actor may see it (the candidate, the organisers, supervisors)."""
    from training import policies

    attempt = Attempt.objects.select_related("exam", "officer").filter(pk=attempt_id).first()
    if attempt is None or not policies.can(actor, "view_attempt", attempt):
        return None
    return attempt


def exams_for(actor: Any) -> QuerySet[Exam]:
    return _scoped(Exam.objects.all(), actor).order_by("-opens_at", "-pk")


def exam_get(*, exam_id: int, actor: Any) -> Exam | None:
    return exams_for(actor).filter(pk=exam_id).first()


def sessions_for(actor: Any) -> QuerySet[TrainingSession]:
    return _scoped(TrainingSession.objects.select_related("plan"), actor)


def questions_for(actor: Any, *, subject: str = "", q: str = "") -> QuerySet[Question]:
    qs = _scoped(Question.objects.filter(active=True), actor)
    if subject:
        qs = qs.filter(subject=subject)
    if q:
        qs = qs.filter(Q(text__icontains=q) | Q(subject__icontains=q))
    return qs


def reviews_for(actor: Any, *, year: int | None = None) -> QuerySet[AnnualReview]:
    qs = _scoped(AnnualReview.objects.select_related("officer"), actor)
    return qs.filter(year=year) if year else qs


def results_for(actor: Any, start: dt.date, end: dt.date) -> QuerySet[Any]:
    """`exam_results` as the actor may read them: organisers their agency, supervisors also the
    agencies below, everyone else their own results."""
    from org.roles import Role
    from org.selectors import is_unrestricted, roles_of, visible_agency_ids

    if is_unrestricted(actor):
        return exam_results(visible_agency_ids(actor), start, end)
    officer = officer_for(actor)
    if officer is None:
        return Attempt.objects.none().values()
    if roles_of(user=actor) & {Role.HEAD, Role.LEGAL_REVIEWER, Role.SUPERVISOR}:
        return exam_results(read_agency_ids(actor) or [officer.agency_id], start, end)
    return exam_results([officer.agency_id], start, end).filter(officer_id=officer.pk)


def attempt_or_404(*, attempt_id: int, actor: Any) -> Attempt:
    from django.utils.translation import gettext as _

    from core.errors import NotFound

    attempt = attempt_get(attempt_id=attempt_id, actor=actor)
    if attempt is None:
        raise NotFound(_("No such exam attempt of yours."), code="attempt_not_found")
    return attempt


def exam_or_404(*, exam_id: int, actor: Any) -> Exam:
    from django.utils.translation import gettext as _

    from core.errors import NotFound

    exam = exam_get(exam_id=exam_id, actor=actor)
    if exam is None:
        raise NotFound(_("No such exam in your agency."), code="exam_not_found")
    return exam


def plan_for(*, agency_id: int, year: int) -> Any:
    from training.models import TrainingPlan

    return TrainingPlan.objects.filter(agency_id=agency_id, year=year).first()


def agency_officers(*, agency_id: int) -> QuerySet[Any]:
    """The agency's active officers with an enforcement role (who train and sit exams)."""
    from org.roles import ENFORCEMENT_ROLES
    from org.selectors import visible_officers

    return (
        visible_officers(None)
        .filter(agency_id=agency_id, active=True, role_assignments__role__in=list(ENFORCEMENT_ROLES))
        .distinct()
        .order_by("name", "pk")
    )


def subjects(*, agency_id: int) -> list[str]:
    return list(
        Question.objects.filter(agency_id=agency_id, active=True)
        .order_by("subject")
        .values_list("subject", flat=True)
        .distinct()
    )


def agency_of(actor: Any) -> Any:
    """The agency whose training the actor organises or takes part in; PermissionDenied for a login
    that is no officer."""
    from django.utils.translation import gettext as _

    from core.errors import PermissionDenied

    officer = officer_for(actor)
    if officer is None:
        raise PermissionDenied(
            _("Only officers registered in an agency use training and exams."), code="not_an_officer"
        )
    return officer.agency


def plans_for(actor: Any) -> QuerySet[Any]:
    from django.db.models import Count

    from training.models import TrainingPlan

    return _scoped(TrainingPlan.objects.annotate(sessions_held=Count("sessions")), actor).order_by(
        "-year", "pk"
    )


def _or_404(qs: QuerySet[Any], pk: int, message: str, code: str) -> Any:
    from core.errors import NotFound

    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise NotFound(message, code=code)
    return obj


def plan_or_404(*, plan_id: int, actor: Any) -> Any:
    from django.utils.translation import gettext as _

    return _or_404(plans_for(actor), plan_id, _("No such training plan in your agency."), "plan_not_found")


def session_or_404(*, session_id: int, actor: Any) -> TrainingSession:
    from django.utils.translation import gettext as _

    return _or_404(  # type: ignore[no-any-return]
        sessions_for(actor), session_id, _("No such training session in your agency."), "session_not_found"
    )


def question_or_404(*, question_id: int, actor: Any) -> Question:
    from django.utils.translation import gettext as _

    return _or_404(  # type: ignore[no-any-return]
        _scoped(Question.objects.all(), actor),
        question_id,
        _("No such question in your agency's bank."),
        "question_not_found",
    )


def attendance_of(session: TrainingSession) -> dict[str, list[int]]:
    """The officers recorded present and absent at a session."""
    present: list[int] = []
    absent: list[int] = []
    for officer_id, here in session.attendance.order_by("officer_id").values_list("officer_id", "present"):
        (present if here else absent).append(officer_id)
    return {"present": present, "absent": absent}
