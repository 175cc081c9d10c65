"""Records and evidence screens of one case (/cases/<id>/records/…) and the chunked upload endpoints.

Each view fetches the case through cases.selectors (404 outside the user's agencies), validates a
form and calls ONE service. A permission refusal is a 403; any other refusal is shown on the form
with what was typed kept. The upload endpoints speak JSON: {code, message} on refusal.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.selectors import case_get
from core.errors import DomainError, PermissionDenied
from core.services.files import file_open
from org.selectors import visible_officers
from records import policies, selectors, services
from records.forms import (
    FORMS,
    AvRuleForm,
    EvidenceItemForm,
    ExclusionForm,
    UploadForm,
    add_domain_error,
    correction_form,
)
from records.models import AvRequirement, AvRule, Classification, EvidenceItem, Record, RecordKind
from records.selectors import STATUS_LABELS
from records.services import access
from records.services.uploads import max_chunk
from records.steps import step_label


def _case(request: HttpRequest, case_id: int) -> Any:
    try:
        case = case_get(case_id=case_id, actor=request.user)
    except DomainError as exc:
        raise Http404 from exc
    return case


def _forbidden(exc: PermissionDenied) -> DjangoPermissionDenied:
    return DjangoPermissionDenied(exc.message)


def _officers(case: Any) -> Any:
    return visible_officers(None).filter(agency_id=case.agency_id, active=True).order_by("name")


def _record(request: HttpRequest, case: Any, record_id: int) -> Record:
    record = (
        selectors.case_records(actor=request.user, case=case, latest_only=False).filter(pk=record_id).first()
    )
    if record is None:
        raise Http404
    return record


def _av_status(case: Any) -> list[dict[str, Any]]:
    rows = []
    for rule in selectors.av_rules().exclude(requirement=AvRequirement.OFF):
        missing = (
            selectors.av_missing(case_id=case.pk, action=rule.action, data=rule.when or None)
            if rule.requirement == AvRequirement.REQUIRED
            else []
        )
        rows.append({"rule": rule, "step": step_label(rule.action), "missing": missing})
    return rows


@login_required
def records_home(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    return _home(request, case)


def _home(
    request: HttpRequest, case: Any, *, status: int = 200, upload_form: UploadForm | None = None
) -> HttpResponse:
    may_act = policies.can(request.user, "act", case)
    files = list(selectors.case_files(actor=request.user, case=case))
    return render(
        request,
        "records/records_home.html",
        {
            "case": case,
            "records": selectors.case_records(actor=request.user, case=case),
            "files": files,
            "kinds": RecordKind.choices,
            "may_act": may_act,
            "upload_form": upload_form or (UploadForm() if may_act else None),
            "av_rows": _av_status(case),
            "chunk_size": max_chunk(),
            "step_label": step_label,
            "packages": selectors.archive_packages(case=case),
            "archive_missing": selectors.archive_missing(case_id=case.pk) if case.status == "closed" else [],
            "may_archive": case.status in ("closed", "archived")
            and policies.can(request.user, "archive", case),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    case = _case(request, case_id)
    form_class = FORMS.get(kind)
    if form_class is None:
        raise Http404
    files = selectors.case_files(actor=request.user, case=case)
    if request.method == "POST":
        form = form_class(request.POST, officers=_officers(case), files=files)
        if form.is_valid():
            try:
                record = services.record_create(
                    actor=request.user, case=case, kind=kind, **form.service_kwargs()
                )
            except PermissionDenied as exc:
                raise _forbidden(exc) from exc
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Record saved."))
                return redirect("records:record_detail", case_id=case.pk, record_id=record.pk)
        status = 400
    else:
        if not policies.can(request.user, "act", case):
            raise DjangoPermissionDenied(policies.reason_refused(request.user, "act", case))
        form = form_class(officers=_officers(case), files=files, initial={"action": "investigate"})
        status = 200
    return render(
        request,
        "records/record_form.html",
        {
            "case": case,
            "form": form,
            "kind_label": RecordKind(kind).label,
            "correcting": None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_correct(request: HttpRequest, case_id: int, record_id: int) -> HttpResponse:
    case = _case(request, case_id)
    record = _record(request, case, record_id)
    form_class = correction_form(record.kind)
    files = selectors.case_files(actor=request.user, case=case)
    if request.method == "POST":
        form = form_class(request.POST, officers=_officers(case), files=files)
        if form.is_valid():
            try:
                kwargs = form.service_kwargs()
                kwargs.pop("action")
                new = services.record_correct(
                    actor=request.user, record=record, case=case, reason=form.cleaned_data["reason"], **kwargs
                )
            except PermissionDenied as exc:
                raise _forbidden(exc) from exc
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Correction saved as version %(v)d.") % {"v": new.version})
                return redirect("records:record_detail", case_id=case.pk, record_id=new.pk)
        status = 400
    else:
        form = form_class(officers=_officers(case), files=files, initial=form_class.initial_from(record))
        status = 200
    return render(
        request,
        "records/record_form.html",
        {
            "case": case,
            "form": form,
            "kind_label": record.get_kind_display(),
            "correcting": record,
        },
        status=status,
    )


@login_required
def record_detail(request: HttpRequest, case_id: int, record_id: int) -> HttpResponse:
    case = _case(request, case_id)
    record = _record(request, case, record_id)
    access.record_viewed(actor=request.user, case=case, record=record)
    versions = selectors.record_versions(record=record)
    files = selectors.case_files(actor=request.user, case=case).filter(record__series=record.series)
    may_act = policies.can(request.user, "act", case)
    latest = not Record.objects.filter(supersedes=record).exists()
    return render(
        request,
        "records/record_detail.html",
        {
            "case": case,
            "record": record,
            "versions": versions,
            "files": files,
            "latest": latest,
            "may_act": may_act,
            "upload_form": UploadForm(initial={"action": record.action}) if may_act else None,
            "step": step_label(record.action),
            "chunk_size": max_chunk(),
        },
    )


@login_required
@require_POST
def file_upload(request: HttpRequest, case_id: int) -> HttpResponse:
    """A whole file in one request (small files, or a browser without JavaScript)."""
    case = _case(request, case_id)
    form = UploadForm(request.POST, request.FILES)
    record = None
    if request.POST.get("record"):
        record = _record(request, case, int(request.POST["record"]))
    if form.is_valid():
        upload = form.cleaned_data["file"]
        cd = form.cleaned_data
        try:
            result = services.evidence_file_ingest(
                actor=request.user,
                case=case,
                fileobj=upload,
                filename=upload.name,
                content_type=upload.content_type or "",
                media_kind=cd["media_kind"],
                action=cd["action"] or "",
                record=record,
                device=cd["device"],
                captured_at=cd["captured_at"],
                place=cd["place"],
                classification=cd["classification"],
            )
        except PermissionDenied as exc:
            raise _forbidden(exc) from exc
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if result.duplicate:
                messages.info(
                    request,
                    _(
                        "These bytes were already uploaded to this case as %(name)s (digest "
                        "%(digest)s); nothing new was stored."
                    )
                    % {"name": result.file.filename, "digest": result.file.stored.digest},
                )
            else:
                messages.success(
                    request, _("File stored; digest %(digest)s.") % {"digest": result.file.stored.digest}
                )
            if record is not None:
                return redirect("records:record_detail", case_id=case.pk, record_id=record.pk)
            return redirect("records:records_home", case_id=case.pk)
    return _home(request, case, status=400, upload_form=form)


@login_required
def file_download(request: HttpRequest, case_id: int, file_id: int) -> FileResponse:
    case = _case(request, case_id)
    ef = selectors.case_files(actor=request.user, case=case).filter(pk=file_id).first()
    if ef is None:
        raise Http404
    try:
        download = access.file_download(actor=request.user, case=case, file=ef)
    except PermissionDenied as exc:
        raise Http404 from exc
    except DomainError as exc:
        raise Http404(exc.message) from exc
    response = FileResponse(
        download.fileobj, as_attachment=True, filename=ef.filename, content_type=download.content_type
    )
    if download.watermarked:
        response["X-Watermarked"] = "1"
        response["Cache-Control"] = "no-store"
    return response


# ----------------------------------------------------------------------------- chunked upload (JSON)


def _json_error(exc: DomainError) -> JsonResponse:
    return JsonResponse(exc.as_dict(), status=exc.status, json_dumps_params={"ensure_ascii": False})


def _session_json(session: Any) -> dict[str, Any]:
    return {
        "token": str(session.token),
        "offset": session.received,
        "size": session.size,
        "status": session.status,
        "chunk_size": max_chunk(),
    }


@login_required
@require_POST
def upload_start(request: HttpRequest, case_id: int) -> JsonResponse:
    """POST {filename, size, content_type, sha256?, action?, record?, device?, captured_at?, place?,
    classification?, media_kind?} → 201 {token, offset: 0, chunk_size}."""
    case = _case(request, case_id)
    try:
        body = json.loads(request.body or b"{}")
        if not isinstance(body, dict):
            raise ValueError
    except ValueError:
        return JsonResponse(
            {"code": "bad_json", "message": _("The request body must be a JSON object.")}, status=400
        )
    body.setdefault("classification", Classification.INTERNAL)
    form = UploadForm({k: v for k, v in body.items() if k != "file"})
    form.fields["file"].required = False
    if not form.is_valid():
        return JsonResponse(
            {
                "code": "validation_failed",
                "message": _("Check the file's details."),
                "field_errors": form.errors,
            },
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    cd = form.cleaned_data
    record = _record(request, case, int(body["record"])) if body.get("record") else None
    try:
        size = int(body.get("size", 0))
        session = services.upload_start(
            actor=request.user,
            case=case,
            filename=str(body.get("filename", "")),
            size=size,
            content_type=str(body.get("content_type", "")),
            media_kind=cd["media_kind"],
            expected_digest=str(body.get("sha256", "")),
            action=cd["action"] or "",
            record=record,
            device=cd["device"],
            captured_at=cd["captured_at"],
            place=cd["place"],
            classification=cd["classification"] or Classification.INTERNAL,
        )
    except (TypeError, ValueError):
        return JsonResponse(
            {"code": "validation_failed", "message": _("The size must be a number of bytes.")}, status=400
        )
    except DomainError as exc:
        return _json_error(exc)
    return JsonResponse(_session_json(session), status=201)


@login_required
@require_http_methods(["GET", "PUT"])
def upload_chunk(request: HttpRequest, case_id: int, token: str) -> JsonResponse:
    """GET → {offset} to resume; PUT ?offset=N with the chunk's bytes as the body (header
    X-Chunk-SHA256 optional) → {offset} after the chunk."""
    _case(request, case_id)
    try:
        if request.method == "GET":
            session = services.upload_status(actor=request.user, token=token)
        else:
            try:
                offset = int(request.GET.get("offset", ""))
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return JsonResponse(
                    {
                        "code": "validation_failed",
                        "message": _("Give the chunk's offset (?offset=N) and its length."),
                    },
                    status=400,
                )
            session = services.upload_chunk(
                actor=request.user,
                token=token,
                offset=offset,
                stream=request,
                length=length,
                chunk_sha256=request.headers.get("X-Chunk-SHA256", ""),
            )
    except DomainError as exc:
        return _json_error(exc)
    if session.case_id != case_id:
        raise Http404
    return JsonResponse(_session_json(session))


@login_required
@require_POST
def upload_finish(request: HttpRequest, case_id: int, token: str) -> JsonResponse:
    _case(request, case_id)
    try:
        result = services.upload_complete(actor=request.user, token=token)
    except DomainError as exc:
        return _json_error(exc)
    ef = result.file
    return JsonResponse(
        {
            "file_id": ef.pk,
            "digest": ef.stored.digest,
            "algorithm": ef.stored.algorithm,
            "size": ef.stored.size,
            "duplicate": result.duplicate,
            "bytes_known": result.bytes_known,
        },
        status=201,
        json_dumps_params={"ensure_ascii": False},
    )


# ----------------------------------------------------------------------------- evidence list


@login_required
@require_http_methods(["GET", "POST"])
def evidence_list(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    files = selectors.case_files(actor=request.user, case=case)
    may_act = policies.can(request.user, "act", case)
    form = None
    status = 200
    if request.method == "POST":
        form = EvidenceItemForm(request.POST, officers=_officers(case), files=files)
        if form.is_valid():
            cd = form.cleaned_data
            try:
                services.evidence_item_add(
                    actor=request.user,
                    case=case,
                    kind=cd["kind"],
                    title=cd["title"],
                    proves=cd["proves"],
                    source=cd["source"],
                    collected_by_ids=[int(i) for i in cd["collected_by"]],
                    collected_on=cd["collected_on"],
                    file_ids=[int(i) for i in cd["file_ids"]],
                )
            except PermissionDenied as exc:
                raise _forbidden(exc) from exc
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Evidence listed."))
                return redirect("records:evidence_list", case_id=case.pk)
        status = 400
    elif may_act:
        form = EvidenceItemForm(officers=_officers(case), files=files)
    return render(
        request,
        "records/evidence_list.html",
        {
            "case": case,
            "items": selectors.evidence_items(case=case),
            "form": form,
            "may_act": may_act,
            "exclusion_form": ExclusionForm(),
        },
        status=status,
    )


@login_required
@require_POST
def evidence_toggle(request: HttpRequest, case_id: int, item_id: int) -> HttpResponse:
    case = _case(request, case_id)
    item = EvidenceItem.objects.filter(case_id=case.pk, pk=item_id).first()
    if item is None:
        raise Http404
    form = ExclusionForm(request.POST)
    if form.is_valid():
        service = services.evidence_reinstate if request.POST.get("reinstate") else services.evidence_exclude
        try:
            service(actor=request.user, case=case, item=item, reason=form.cleaned_data["reason"])
        except PermissionDenied as exc:
            raise _forbidden(exc) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Evidence list updated."))
    else:
        messages.error(request, _("Give the reason."))
    return redirect("records:evidence_list", case_id=case.pk)


# ----------------------------------------------------------------------------- verification


@login_required
def evidence_verification(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    files = selectors.case_files(actor=request.user, case=case)
    checks = selectors.evidence_verify(case.pk, files=files)
    rows = [{"check": c, "label": STATUS_LABELS[c.status]} for c in checks]
    return render(
        request,
        "records/verify.html",
        {
            "case": case,
            "rows": rows,
            "all_ok": all(c.ok for c in checks),
        },
    )


# ----------------------------------------------------------------------------- AV rules


@login_required
@require_http_methods(["GET", "POST"])
def av_rules(request: HttpRequest, case_id: int) -> HttpResponse:
    """The audio-video rules (read by every officer; changed by a system administrator)."""
    case = _case(request, case_id)
    may_configure = policies.can(request.user, "configure", None)
    error = ""
    if request.method == "POST":
        rule_id = request.POST.get("rule", "")
        rule = AvRule.objects.filter(pk=int(rule_id)).first() if rule_id.isdigit() else None
        form = AvRuleForm(request.POST)
        if rule is None or not form.is_valid():
            error = _("Choose a rule and a requirement.")
        else:
            try:
                services.av_rule_update(
                    actor=request.user, rule=rule, requirement=form.cleaned_data["requirement"]
                )
            except PermissionDenied as exc:
                raise _forbidden(exc) from exc
            except DomainError as exc:
                error = exc.message
            else:
                messages.success(request, _("Audio-video rule changed."))
                return redirect("records:av_rules", case_id=case.pk)
    rows = [
        {"rule": r, "step": step_label(r.action), "form": AvRuleForm(initial={"requirement": r.requirement})}
        for r in selectors.av_rules()
    ]
    return render(
        request,
        "records/av_rules.html",
        {
            "case": case,
            "rows": rows,
            "may_configure": may_configure,
            "error": error,
        },
        status=400 if error else 200,
    )


# ----------------------------------------------------------------------------- archive


@login_required
@require_POST
def archive_build(request: HttpRequest, case_id: int) -> HttpResponse:
    from records.services.archive import archive_build as build

    case = _case(request, case_id)
    try:
        package = build(actor=request.user, case=case)
    except PermissionDenied as exc:
        raise _forbidden(exc) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Archive package built: %(items)d items, digest %(digest)s.")
            % {"items": package.items, "digest": package.stored.digest},
        )
    return redirect("records:records_home", case_id=case.pk)


@login_required
def archive_download(request: HttpRequest, case_id: int, package_id: int) -> FileResponse:
    case = _case(request, case_id)
    package = selectors.archive_packages(case=case).filter(pk=package_id).first()
    if package is None or not policies.can(request.user, "view_sensitive", case):
        raise Http404
    try:
        fh = file_open(package.stored)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    access.package_downloaded(actor=request.user, case=case, package=package)
    return FileResponse(fh, as_attachment=True, filename=package.filename, content_type="application/zip")
