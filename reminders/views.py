"""Officer screens (reminders, tasks, rules, delivery settings), the holder's portal page and the SMS
gateway's delivery-report callback."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError, NotFound
from core.forms import place_domain_error
from core.throttle import rate_limited
from reminders import policies, selectors, services
from reminders.forms import FilterForm, LookupForm, RuleForm, SettingsForm, TaskForm, TaskHandoverForm
from reminders.models import ReminderRule

PAGE_SIZE = 25
LOOKUPS_PER_MINUTE = 10


def _ensure_view(request: HttpRequest) -> None:
    if not policies.can(request.user, "view"):
        try:
            policies.ensure(request.user, "view")
        except DomainError as exc:
            raise PermissionDenied(exc.message) from exc


@login_required
def reminder_list(request: HttpRequest) -> HttpResponse:
    _ensure_view(request)
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.reminders_filtered(actor=request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    open_tasks = selectors.visible_tasks(request.user).count()
    return render(
        request,
        "reminders/list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "open_tasks": open_tasks,
            "may_manage": policies.can(request.user, "manage_rules"),
        },
    )


@login_required
def reminder_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_view(request)
    try:
        reminder = selectors.reminder_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "reminders/detail.html",
        {
            "r": reminder,
            "deliveries": reminder.deliveries.all(),
            "tasks": reminder.tasks.all(),
            "sms": reminder.sms.all(),
        },
    )


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    _ensure_view(request)
    done = request.GET.get("done") == "1"
    qs = selectors.visible_tasks(request.user, open_only=not done)
    if done:
        qs = qs.filter(done_at__isnull=False).order_by("-done_at")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "reminders/tasks.html", {"page": page, "done": done, "query": "done=1" if done else ""}
    )


def _task_colleagues(task: Any) -> Any:
    from org import selectors as org_selectors

    return org_selectors.visible_officers(None).filter(agency_id=task.agency_id, active=True).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_view(request)
    try:
        task = selectors.task_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    form = TaskForm(request.POST or None)
    officers = _task_colleagues(task)
    handover_form = TaskHandoverForm(officers=officers)
    if request.method == "POST" and request.POST.get("action") == "handover":
        form = TaskForm()
        handover_form = TaskHandoverForm(request.POST, officers=officers)
        if handover_form.is_valid():
            try:
                services.task_handover(
                    actor=request.user,
                    task=task,
                    officer_id=handover_form.cleaned_data["officer"],
                    reason=handover_form.cleaned_data["reason"],
                )
                messages.success(request, _("The task was handed over."))
                return redirect("reminders:task", pk=task.pk)
            except DomainError as exc:
                place_domain_error(handover_form, exc)
    elif request.method == "POST" and form.is_valid():
        try:
            services.task_record(
                actor=request.user,
                task=task,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
            return redirect("reminders:tasks")
        except DomainError as exc:
            place_domain_error(form, exc)
    return render(
        request,
        "reminders/task.html",
        {
            "task": task,
            "r": task.reminder,
            "form": form,
            "may_handle": policies.can(request.user, "handle", task),
            "deliveries": task.reminder.deliveries.all(),
            "handover_form": handover_form,
            "handovers": task.handovers.select_related("from_user", "to_user", "by"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def task_letter(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        task = selectors.task_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    try:
        document = services.letter_issue(actor=request.user, task=task)
    except DomainError as exc:
        form = TaskForm()
        form.add_error(None, exc.message)
        return render(
            request,
            "reminders/task.html",
            {
                "task": task,
                "r": task.reminder,
                "form": form,
                "may_handle": True,
                "deliveries": task.reminder.deliveries.all(),
            },
            status=exc.status,
        )
    return redirect(reverse("documents:document_pdf", args=[document.pk]))


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    if not policies.can(request.user, "manage_rules"):
        _ensure_view(request)
    return render(
        request,
        "reminders/rules.html",
        {
            "rules": selectors.rules(),
            "may_manage": policies.can(request.user, "manage_rules"),
            "conf": services.delivery_settings(),
        },
    )


def _ensure_manage(request: HttpRequest) -> None:
    try:
        policies.ensure(request.user, "manage_rules")
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_manage(request)
    rule = ReminderRule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404
    form = RuleForm(request.POST or None, initial=RuleForm.initial_for(rule))
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            services.rule_update(
                actor=request.user,
                rule=rule,
                version=cd["version"],
                name=cd["name"],
                offsets=cd["offsets"],
                audience=cd["audience"],
                channels=cd["channels"],
                template_text=cd["template_text"],
                active=cd["active"],
            )
            return redirect("reminders:rules")
        except DomainError as exc:
            place_domain_error(form, exc)
    return render(
        request,
        "reminders/rule_form.html",
        {"rule": rule, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest) -> HttpResponse:
    _ensure_manage(request)
    conf = services.delivery_settings()
    form = SettingsForm(
        request.POST or None,
        initial={
            "quiet_start": conf.quiet_start.strftime("%H:%M"),
            "quiet_end": conf.quiet_end.strftime("%H:%M"),
            "max_attempts": conf.max_attempts,
            "retry_base_minutes": conf.retry_base_minutes,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.delivery_settings_update(actor=request.user, **form.cleaned_data)
            return redirect("reminders:rules")
        except DomainError as exc:
            place_domain_error(form, exc)
    return render(
        request, "reminders/settings.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


# --- public --------------------------------------------------------------------------------------


def public_lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.GET and form.is_valid():
        wait = rate_limited(request, scope="reminders.lookup", limit=LOOKUPS_PER_MINUTE, period=60)
        if wait:
            context["throttled"] = True
            status = 429
        else:
            found = selectors.public_reminders(
                reference=form.cleaned_data["ref"], code=form.cleaned_data["code"]
            )
            context["reminders"] = found
            context["not_found"] = not found
    response = render(request, "reminders/public_lookup.html", context, status=status)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@csrf_exempt
@require_POST
def sms_report(request: HttpRequest) -> HttpResponse:
    try:
        sms = services.sms_report(body=request.body, signature=request.headers.get("X-Signature", ""))
    except DomainError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)
    return JsonResponse({"ok": True, "status": sms.status})
