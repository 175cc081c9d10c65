"""Officer screens: my exams (start, take on the server's clock, see the score), and for the
organisers the attempts awaiting marking and the marking form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from org.selectors import officer_for
from training import policies, selectors, services
from training.models import AttemptStatus, QuestionKind

PAGE_SIZE = 20


def _answers_from(request: HttpRequest, attempt: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in services.attempt_questions(attempt):
        name = f"q{question.pk}"
        if question.kind == QuestionKind.MULTIPLE:
            answers[str(question.pk)] = request.POST.getlist(name)
        else:
            answers[str(question.pk)] = request.POST.get(name, "")
    return answers


@login_required
def index(request: HttpRequest) -> HttpResponse:
    officer = officer_for(request.user)
    organiser = officer is not None and policies.can(request.user, "manage", officer.agency)
    waiting = selectors.attempts_for(request.user, status=AttemptStatus.SUBMITTED) if organiser else None
    page = Paginator(selectors.my_attempts(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    taken = set(selectors.my_attempts(request.user).values_list("exam_id", flat=True))
    return render(
        request,
        "training/index.html",
        {
            "open_exams": [e for e in selectors.open_exams_for(request.user) if e.pk not in taken],
            "page": page,
            "organiser": organiser,
            "waiting": waiting[:50] if waiting is not None else [],
        },
    )


@login_required
@require_POST
def exam_start(request: HttpRequest, pk: int) -> HttpResponse:
    exam = selectors.exam_get(exam_id=pk, actor=request.user)
    if exam is None:
        raise Http404
    try:
        attempt = services.attempt_start(actor=request.user, exam=exam)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("training:index")
    return redirect("training:attempt", pk=attempt.pk)


@login_required
@require_http_methods(["GET", "POST"])
def attempt(request: HttpRequest, pk: int) -> HttpResponse:
    att = selectors.attempt_get(attempt_id=pk, actor=request.user)
    if att is None:
        raise Http404
    mine = officer_for(request.user) is not None and officer_for(request.user).pk == att.officer_id  # type: ignore[union-attr]
    if request.method == "POST" and mine:
        answers = _answers_from(request, att)
        try:
            if request.POST.get("action") == "save":
                services.attempt_save(actor=request.user, attempt=att, answers=answers)
                messages.success(request, _("Your answers are saved."))
                return redirect("training:attempt", pk=att.pk)
            late_before = att.due_at is not None and timezone.now() > att.due_at
            services.attempt_submit(actor=request.user, attempt=att, answers=answers)
            if att.auto_submitted:
                messages.error(
                    request,
                    _(
                        "The time allowed was over when the answers arrived: they were not accepted, the "
                        "exam "
                        "was handed in with the answers saved in time."
                    ),
                )
            elif late_before:
                messages.info(request, _("Handed in within the grace period after the end of the time."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("training:attempt", pk=att.pk)
    if att.status == AttemptStatus.IN_PROGRESS:
        services.attempts_close_expired(attempt_ids=[att.pk])
        att.refresh_from_db()
    questions = services.attempt_questions(att)
    rows = []
    for number, question in enumerate(questions, start=1):
        key = str(question.pk)
        given = att.answers.get(key)
        rows.append(
            {
                "n": number,
                "q": question,
                "given": given,
                "mark": att.marks.get(key),
                "options": [
                    {"i": i, "text": text, "checked": isinstance(given, list) and i in given}
                    for i, text in enumerate(question.options)
                ],
            }
        )
    remaining = None
    if att.status == AttemptStatus.IN_PROGRESS and att.due_at is not None:
        remaining = max(int((att.due_at - timezone.now()).total_seconds()), 0)
    return render(
        request,
        "training/attempt.html",
        {
            "a": att,
            "rows": rows,
            "remaining": remaining,
            "mine": mine,
            "S": AttemptStatus,
            "K": QuestionKind,
            "may_mark": policies.can(request.user, "mark", att),
            "remaining_text": f"{remaining // 60}:{remaining % 60:02d}" if remaining is not None else "",
        },
    )


@login_required
@require_POST
def attempt_mark(request: HttpRequest, pk: int) -> HttpResponse:
    att = selectors.attempt_get(attempt_id=pk, actor=request.user)
    if att is None:
        raise Http404
    marks = {key[1:]: value for key, value in request.POST.items() if key.startswith("q")}
    try:
        services.attempt_mark(actor=request.user, attempt=att, marks=marks)
        messages.success(request, _("The marks are recorded."))
    except DomainError as exc:
        messages.error(request, exc.message)
        for errs in exc.field_errors.values():
            for err in errs:
                messages.error(request, err)
    return redirect("training:attempt", pk=att.pk)
