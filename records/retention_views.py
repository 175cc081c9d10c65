"""Retention screen (/records/retention/): what the archive may release, the requests, the rules.

- Files of closed cases whose retention period has run (issue 5 §2), filtered by agency and class,
  paginated; an officer who may act on the case asks for a file's release with a reason.
- Requested releases: a head of the case's agency other than the requester approves or refuses
  (a two-person act); approved releases are the list the archive may dispose of by its own
  procedure — the application itself never deletes a stored file.
- The retention rules (years per class), changed by a system administrator; each change a ledger act.
Each POST calls ONE service; a refusal re-renders the page with the message and what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.selectors import visible_cases
from core.errors import DomainError, PermissionDenied
from org.selectors import visible_agencies
from records import policies, selectors
from records.forms import ReleaseDecisionForm, ReleaseRequestForm, RetentionFilterForm, RetentionRuleForm
from records.models import EvidenceFile, ReleaseStatus, RetentionRule
from records.services import retention as services

PAGE_SIZE = 50


def _index(request: HttpRequest, *, status: int = 200, bound: dict[str, Any] | None = None) -> HttpResponse:
    bound = dict(bound or {})
    user = request.user
    agencies = visible_agencies(user).order_by("path")
    filters = RetentionFilterForm(request.GET or None, agencies=agencies)
    agency_id, record_class, due = None, "", "due"
    if filters.is_valid():
        agency_id = filters.cleaned_data["agency"]
        record_class = filters.cleaned_data["record_class"]
        due = filters.cleaned_data["due"] or "due"
    rows = selectors.retention_rows(
        actor=user, agency_id=agency_id, record_class=record_class, due_only=due == "due"
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    may: dict[int, bool] = {}
    items = []
    for row in page.object_list:
        if row.case.pk not in may:
            may[row.case.pk] = policies.can(user, "archive", row.case)
        open_release = row.release is not None and row.release.status != ReleaseStatus.REFUSED
        form = bound.pop(f"file-{row.file.pk}", None)
        items.append(
            {
                "row": row,
                "may_request": may[row.case.pk] and not open_release and row.kept_until < _today(),
                "form": form or ReleaseRequestForm(prefix=f"f{row.file.pk}"),
            }
        )
    pending = []
    visible = {c.pk: c for c in visible_cases(user).filter(status__in=["closed", "archived"])}
    for release in selectors.releases(actor=user, status=ReleaseStatus.REQUESTED)[:200]:
        case = visible.get(release.file.case_id)
        if case is None or not _file_visible(user, case, release.file):
            continue
        pending.append(
            {
                "release": release,
                "case": case,
                "may_decide": policies.can(user, "release", case)
                and release.requested_by_id != getattr(user, "pk", None),
                "form": bound.pop(f"release-{release.pk}", None)
                or ReleaseDecisionForm(prefix=f"r{release.pk}"),
            }
        )
    approved = [
        {"release": r, "case": visible[r.file.case_id]}
        for r in selectors.releases(actor=user, status=ReleaseStatus.APPROVED)[:200]
        if r.file.case_id in visible and _file_visible(user, visible[r.file.case_id], r.file)
    ]
    may_configure = policies.can(user, "configure", None)
    rules = [
        {
            "rule": rule,
            "form": bound.pop(f"rule-{rule.pk}", None)
            or RetentionRuleForm(prefix=f"rule{rule.pk}", initial={"years": rule.years, "basis": rule.basis}),
        }
        for rule in selectors.retention_rules()
    ]
    error = bound.pop("error", "")
    # a refused form whose row is not on this page: shown above, with what was typed
    orphans = [{"action": request.path, "form": form} for form in bound.values()]
    query = urlencode([(k, str(v)) for k, v in request.GET.items() if k != "page" and v])
    return render(
        request,
        "records/retention.html",
        {
            "filters": filters,
            "page": page,
            "items": items,
            "pending": pending,
            "approved": approved,
            "rules": rules,
            "may_configure": may_configure,
            "query": query,
            "error": error,
            "orphans": orphans,
        },
        status=status,
    )


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


def _file_visible(user: Any, case: Any, file: EvidenceFile) -> bool:
    return file.classification != "sensitive" or policies.can(user, "view_sensitive", case)


@login_required
def retention_index(request: HttpRequest) -> HttpResponse:
    return _index(request)


def _case_of_file(request: HttpRequest, file_id: int) -> tuple[Any, EvidenceFile]:
    file = EvidenceFile.objects.select_related("stored").filter(pk=file_id).first()
    case = visible_cases(request.user).filter(pk=file.case_id).first() if file else None
    if file is None or case is None or not _file_visible(request.user, case, file):
        raise Http404
    return case, file


@login_required
@require_POST
def release_request(request: HttpRequest, file_id: int) -> HttpResponse:
    case, file = _case_of_file(request, file_id)
    form = ReleaseRequestForm(request.POST, prefix=f"f{file.pk}")
    if form.is_valid():
        try:
            services.release_request(
                actor=request.user, case=case, file=file, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Release of %(file)s requested; a head of the agency decides.") % {"file": file.filename},
            )
            return redirect("records_site:retention")
    return _index(request, status=400, bound={f"file-{file.pk}": form, "error": _("Check the request.")})


@login_required
@require_POST
def release_decide(request: HttpRequest, release_id: int) -> HttpResponse:
    release = selectors.release_get(actor=request.user, release_id=release_id)
    if release is None:
        raise Http404
    case, _file = _case_of_file(request, release.file_id)
    form = ReleaseDecisionForm(request.POST, prefix=f"r{release.pk}")
    if form.is_valid():
        try:
            services.release_decide(
                actor=request.user,
                case=case,
                release=release,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("records_site:retention")
    return _index(
        request, status=400, bound={f"release-{release.pk}": form, "error": _("Check the decision.")}
    )


@login_required
@require_POST
def rule_update(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = RetentionRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise Http404
    form = RetentionRuleForm(request.POST, prefix=f"rule{rule.pk}")
    if form.is_valid():
        try:
            services.retention_rule_update(
                actor=request.user,
                rule=rule,
                years=form.cleaned_data["years"],
                basis=form.cleaned_data["basis"],
            )
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Retention rule changed."))
            return redirect("records_site:retention")
    return _index(request, status=400, bound={f"rule-{rule.pk}": form, "error": _("Check the rule.")})
