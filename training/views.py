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


def _posted_date(value: Any) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _posted_datetime(value: Any) -> Any:
    import datetime as dt

    try:
        naive = dt.datetime.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
    return timezone.make_aware(naive) if timezone.is_naive(naive) else naive


def _int(value: Any, default: int = 0) -> int:
    text = str(value or "").strip()
    return int(text) if text.lstrip("-").isdigit() else default


def _manage_action(request: HttpRequest, agency: Any) -> str:
    """Run the organiser's form; return the success message (DomainError propagates)."""
    p, a, action = request.POST, request.user, request.POST.get("action")
    if action == "session":
        held_on = _posted_date(p.get("held_on"))
        year = held_on.year if held_on else timezone.localdate().year
        plan = selectors.plan_for(agency_id=agency.pk, year=year)
        if plan is None:
            plan = services.plan_create(
                actor=a, agency=agency, year=year, title=_("Training plan %(year)s") % {"year": year}
            )
        services.session_record(
            actor=a,
            plan=plan,
            title=p.get("title", ""),
            subject=p.get("subject", ""),
            held_on=held_on or timezone.localdate(),
            hours=p.get("hours", ""),
            place=p.get("place", ""),
        )
        return _("The session is recorded.")
    if action == "attendance":
        session = selectors.sessions_for(a).filter(pk=_int(p.get("session"))).first()
        if session is None:
            raise Http404
        present = [_int(i) for i in p.getlist("present")]
        everyone = [o.pk for o in selectors.agency_officers(agency_id=agency.pk)]
        services.attendance_record(
            actor=a,
            session=session,
            present_ids=present,
            absent_ids=[i for i in everyone if i not in present],
        )
        return _("The attendance is recorded.")
    if action == "question":
        kind = p.get("kind", "")
        options = [line.strip() for line in p.get("options", "").splitlines() if line.strip()]
        raw = p.get("answer", "").strip()
        answer: Any = raw
        if kind in ("single", "multiple"):
            answer = [_int(x, -1) - 1 for x in raw.replace("，", ",").split(",") if x.strip()]
        elif kind == "true_false":
            answer = {"对": True, "true": True, "错": False, "false": False}.get(raw.lower())
        services.question_add(
            actor=a,
            agency=agency,
            subject=p.get("subject", ""),
            kind=kind,
            text=p.get("text", ""),
            options=options,
            answer=answer,
            points=_int(p.get("points")),
        )
        return _("The question is added to the bank.")
    if action == "exam":
        opens, closes = _posted_datetime(p.get("opens_at")), _posted_datetime(p.get("closes_at"))
        if opens is None or closes is None:
            from core.errors import ValidationFailed

            raise ValidationFailed(
                _("Enter when the exam opens and closes."),
                field_errors={"opens_at": [_("Enter a date and time.")]},
            )
        services.exam_create(
            actor=a,
            agency=agency,
            title=p.get("title", ""),
            subject=p.get("subject", ""),
            mode=p.get("mode", ""),
            opens_at=opens,
            closes_at=closes,
            question_count=_int(p.get("question_count")),
            duration_minutes=_int(p.get("duration_minutes")),
            pass_percent=_int(p.get("pass_percent")) or None,
        )
        return _("The exam is created.")
    if action == "paper_score":
        exam = selectors.exam_get(exam_id=_int(p.get("exam")), actor=a)
        if exam is None:
            raise Http404
        services.paper_score_enter(
            actor=a,
            exam=exam,
            officer_id=_int(p.get("officer")),
            score=p.get("score", ""),
            max_score=p.get("max_score") or 100,
        )
        return _("The score is entered.")
    if action == "review":
        services.annual_review_record(
            actor=a,
            officer_id=_int(p.get("officer")),
            year=_int(p.get("year")),
            result=p.get("result", ""),
            note=p.get("note", ""),
        )
        return _("The annual review is recorded.")
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    """The organisers' screen: sessions and attendance, the question bank, exams, paper scores and
    the annual review (年审)."""
    officer = officer_for(request.user)
    if officer is None:
        raise Http404
    agency = officer.agency
    try:
        policies.ensure(request.user, "manage", agency)  # a refusal is a ledger act
    except DomainError as exc:
        return render(request, "training/refused.html", {"message": exc.message}, status=403)
    error: DomainError | None = None
    if request.method == "POST":
        try:
            messages.success(request, _manage_action(request, agency))
            return redirect("training:manage")
        except DomainError as exc:
            error = exc
    questions = selectors.questions_for(
        request.user, subject=request.GET.get("subject", ""), q=request.GET.get("q", "")
    )
    return render(
        request,
        "training/manage.html",
        {
            "error": error,
            "posted": request.POST,
            "action": request.POST.get("action", ""),
            "sessions": selectors.sessions_for(request.user).prefetch_related("attendance")[:20],
            "officers": selectors.agency_officers(agency_id=agency.pk),
            "questions": Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page")),
            "subjects": selectors.subjects(agency_id=agency.pk),
            "exams": selectors.exams_for(request.user)[:20],
            "reviews": selectors.reviews_for(request.user)[:20],
            "kinds": QuestionKind.choices,
            "year": timezone.localdate().year,
            "subject": request.GET.get("subject", ""),
            "q": request.GET.get("q", ""),
        },
        status=422 if error else 200,
    )
