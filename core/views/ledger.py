"""Ledger browser for audit administrators: list with filters, entry detail, verify now."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core.acts import act_display, object_type_display
from core.denials import mark_denial_recorded
from core.errors import NotFound
from core.selectors.ledger import LedgerFilters, ledger_entry_get, ledger_page
from core.services.ledger import ledger_append, ledger_verify

PERMISSION = "core.view_ledgerentry"


class LedgerFilterForm(forms.Form):
    act = forms.CharField(label=_("Act"), required=False, max_length=80)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=80)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    after = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        return data


def _labelled(entry: Any) -> Any:
    """The entry with `act_display` and `object_display`: "label (code)" for the templates."""
    entry.act_display = act_display(entry.act)
    entry.object_display = object_type_display(entry.object_type)
    return entry


def _denied(request: HttpRequest) -> HttpResponse:
    """403, and the refusal is an act in the ledger (committed even though the request fails)."""
    ledger_append(
        actor=request.user,
        act="auth.permission_denied",
        payload={"permission": PERMISSION, "path": request.path[:300], "method": request.method},
    )
    mark_denial_recorded(request)
    return render(request, "core/ledger_denied.html", {"permission": PERMISSION}, status=403)


@login_required
@require_GET
def ledger_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(PERMISSION):
        return _denied(request)
    form = LedgerFilterForm(request.GET or None)
    page = None
    query = ""
    if form.is_bound and not form.is_valid():
        page = None
    else:
        data = form.cleaned_data if form.is_bound else {}
        filters = LedgerFilters(
            act=data.get("act") or "",
            actor=data.get("actor") or "",
            object_type=data.get("object_type") or "",
            object_id=data.get("object_id") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        page = ledger_page(
            actor=request.user, filters=filters, before=data.get("before"), after=data.get("after")
        )
        for item in page.entries:
            _labelled(item)
        keep = request.GET.copy()
        keep.pop("before", None)
        keep.pop("after", None)
        query = keep.urlencode()
    return render(request, "core/ledger_list.html", {"form": form, "page": page, "query": query})


@login_required
@require_GET
def ledger_entry(request: HttpRequest, seq: int) -> HttpResponse:
    if not request.user.has_perm(PERMISSION):
        return _denied(request)
    try:
        entry = ledger_entry_get(actor=request.user, seq=seq)
    except NotFound as exc:
        return render(request, "core/ledger_entry.html", {"error": exc.message}, status=404)
    try:
        payload = json.dumps(json.loads(entry.payload), indent=2, ensure_ascii=False, sort_keys=True)
    except ValueError:
        payload = entry.payload
    return render(request, "core/ledger_entry.html", {"entry": _labelled(entry), "payload": payload})


@login_required
@require_POST
def ledger_verify_now(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(PERMISSION):
        return _denied(request)
    result = ledger_verify()
    ledger_append(
        actor=request.user,
        act="ledger.verified",
        payload={
            "ok": result.ok,
            "entries": result.entries,
            "files": result.files,
            "head_seq": result.head_seq,
            "head_hash": result.head_hash,
            "failure": result.failure.as_dict() if result.failure else None,
        },
    )
    return render(request, "core/ledger_verify.html", {"result": result})
