"""JSON errors for everything under /api/: one body shape, a stable code, a Chinese message.

    {"code": "validation_failed", "message": "…", "field_errors": {"date": ["…"]}}

Ninja's validation errors are turned into per-field Chinese messages; `DomainError` keeps its code,
status, basis and field errors; any unexpected exception is logged and answered with
`internal_error` (never Django's HTML 500). Permission denials are recorded in the ledger.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from api import selectors, services
from core.errors import DomainError

if TYPE_CHECKING:
    from ninja import NinjaAPI

log = logging.getLogger("zhifa.api")


def nul_message() -> str:
    """PostgreSQL text cannot hold a NUL character: the one message for every place that refuses it."""
    return _("The text contains a NUL character; remove it.")


def validation_failed_message() -> str:
    return _("Some values are missing or invalid; correct the fields listed and send the request again.")


class ErrorOut(Schema):
    """Every error the API answers with."""

    code: str
    message: str
    field_errors: dict[str, list[str]] | None = None
    basis: str | None = None


# Documented on every operation so that clients (and schemathesis) know the error shape.
ERROR_STATUSES = (400, 401, 403, 404, 405, 413, 429, 500)


def with_errors(ok: Any, status: int = 200) -> dict[int, Any]:
    responses: dict[int, Any] = {status: ok}
    responses.update({code: ErrorOut for code in ERROR_STATUSES})
    return responses


class ApiError(Exception):
    """An error the API layer itself raises (authentication, lockout…), outside any domain rule."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        field_errors: Mapping[str, Sequence[str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field_errors = {k: list(v) for k, v in (field_errors or {}).items()}
        self.headers = dict(headers or {})


class NotAuthenticated(AuthenticationError):
    """Raised by our auth classes with a specific code (bad, expired or revoked token…)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(401, message)
        self.code = code


def input_violations(exc: DomainError) -> list[dict[str, Any]]:
    """The `violations` of a 422 answer to an act: one per field error (the field named), else the
    error itself — the shape every Action API route (cases, training, mediation, guidance) returns."""
    return [
        {"code": exc.code, "message": f"{field}: {msg}", "basis": exc.basis}
        for field, messages in exc.field_errors.items()
        for msg in messages
    ] or [{"code": exc.code, "message": exc.message, "basis": exc.basis}]


def request_body_doc(model: Any) -> dict[str, Any]:
    """`openapi_extra` of an endpoint that validates its JSON itself (422 on errors): the request
    body's schema from the pydantic model."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def error_body(
    code: str, message: str, field_errors: Mapping[str, Sequence[str]] | None = None, basis: str = ""
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if field_errors:
        body["field_errors"] = {k: [str(m) for m in v] for k, v in field_errors.items()}
    if basis:
        body["basis"] = basis
    return body


def json_error(
    status: int,
    code: str,
    message: str,
    field_errors: Mapping[str, Sequence[str]] | None = None,
    basis: str = "",
) -> JsonResponse:
    return JsonResponse(
        error_body(code, message, field_errors, basis),
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


# --- validation messages -------------------------------------------------------------------------

def _constraint(ctx: Mapping[str, Any], key: str) -> str:
    return str(ctx.get(key, ""))


def validation_message(error: Mapping[str, Any]) -> str:
    """A Chinese message for one pydantic error, by its type (never pydantic's English text)."""
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"}:
        return _("Enter a number.")
    if kind in {"decimal_max_digits", "decimal_max_places", "decimal_whole_digits"}:
        return _("The number has too many digits.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind in {"string_type", "string_unicode"}:
        return _("Enter text.")
    if kind.startswith("date") and not kind.startswith("datetime"):
        return _("Enter a valid date in the form YYYY-MM-DD.")
    if kind.startswith("datetime"):
        return _("Enter a valid date and time (ISO 8601).")
    if kind == "greater_than_equal":
        return _("Enter a value of at least %(limit)s.") % {"limit": _constraint(ctx, "ge")}
    if kind == "greater_than":
        return _("Enter a value greater than %(limit)s.") % {"limit": _constraint(ctx, "gt")}
    if kind == "less_than_equal":
        return _("Enter a value of at most %(limit)s.") % {"limit": _constraint(ctx, "le")}
    if kind == "less_than":
        return _("Enter a value less than %(limit)s.") % {"limit": _constraint(ctx, "lt")}
    if kind == "string_too_short":
        return _("Enter at least %(limit)s characters.") % {"limit": _constraint(ctx, "min_length")}
    if kind == "string_too_long":
        return _("Enter at most %(limit)s characters.") % {"limit": _constraint(ctx, "max_length")}
    if kind == "string_pattern_mismatch":
        return _("The text does not have the required form.")
    if kind == "too_short":
        return _("Give at least %(limit)s items.") % {"limit": _constraint(ctx, "min_length")}
    if kind == "too_long":
        return _("Give at most %(limit)s items.") % {"limit": _constraint(ctx, "max_length")}
    if kind in {"literal_error", "enum"}:
        return _("Choose one of: %(choices)s.") % {"choices": _constraint(ctx, "expected")}
    if kind in {"list_type", "tuple_type", "set_type"}:
        return _("Enter a list.")
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("Enter a JSON object.")
    if kind == "extra_forbidden":
        return _("This field is not allowed.")
    if kind in {"json_invalid", "json_type"}:
        return _("Enter valid JSON.")
    if kind == "value_error":
        # Our own validators raise ValueError with an already translated message.
        inner = ctx.get("error")
        if inner is not None and str(inner):
            return str(inner)
    return _("Enter a valid value.")


def _field_name(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body" and len(parts) > 2:
        parts = parts[2:]  # ("body", <parameter name>, field, …)
    elif parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:] or parts
    return ".".join(parts) or "__all__"


def field_errors_from(errors: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for error in errors:
        result.setdefault(_field_name(error.get("loc") or ()), []).append(validation_message(error))
    return result


# --- handlers ------------------------------------------------------------------------------------

def _ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _record_denial(request: HttpRequest, code: str, status: int) -> None:
    actor = getattr(request, "auth", None) or getattr(request, "user", None)
    started = getattr(request, "api_started_at", None)
    if started is not None and selectors.denial_recorded_since(actor=actor, since=started):
        return  # the policy that refused (e.g. org.policies.ensure) has recorded it already
    try:
        services.request_refusal_record(
            actor=actor, method=request.method or "", path=request.path, code=code, status=status,
            ip=_ip(request),
        )
    except Exception:  # the refusal is still answered even if the record fails; the log says so
        log.exception("could not record a permission denial in the ledger")


def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return json_error(
        400,
        "validation_failed",
        validation_failed_message(),
        field_errors_from(exc.errors),
    )


def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if exc.status == 403:
        _record_denial(request, exc.code, 403)
    return json_error(exc.status, exc.code, exc.message, exc.field_errors, exc.basis)


def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    if exc.status == 403:
        _record_denial(request, exc.code, 403)
    response = json_error(exc.status, exc.code, exc.message, exc.field_errors)
    for name, value in exc.headers.items():
        response[name] = value
    return response


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    cause = exc.__cause__
    if isinstance(cause, RequestDataTooBig | TooManyFieldsSent):
        return request_too_large(request)
    if isinstance(exc, NotAuthenticated):
        return json_error(401, exc.code, exc.message)
    if isinstance(exc, AuthenticationError):
        return json_error(
            401,
            "not_authenticated",
            _("Authentication is required: send 'Authorization: Bearer <token>' (obtain one at "
              "/api/v1/auth/token) or sign in to the web interface."),
        )
    if isinstance(exc, Throttled):
        response = json_error(429, "throttled", _("Too many requests; wait a moment and try again."))
        if exc.wait:
            response["Retry-After"] = str(int(exc.wait) + 1)
        return response
    if exc.status_code == 400 and isinstance(cause, ValueError | UnicodeDecodeError):
        return json_error(
            400,
            "malformed_json",
            _("The request body is not valid JSON; send a JSON object encoded in UTF-8."),
        )
    if exc.status_code == 400:
        return json_error(400, "bad_request", _("The request could not be read; check its format."))
    if exc.status_code == 403:
        _record_denial(request, "permission_denied", 403)
        return json_error(403, "permission_denied", _("You may not perform this request."))
    if exc.status_code == 404:
        return not_found(request)
    return json_error(exc.status_code, "http_error", _("The request could not be completed."))


def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return not_found(request)


def on_django_permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    _record_denial(request, "permission_denied", 403)
    return json_error(
        403, "permission_denied",
        _("You may not perform this request; ask your agency's system administrator for the role it needs."),
    )


def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        return request_too_large(request)
    log.exception("unexpected error in API %s %s", request.method, request.path)
    return server_error(request)


def not_found(request: HttpRequest) -> JsonResponse:
    return json_error(
        404, "not_found", _("Nothing was found at this address; see /api/v1/docs for the API's addresses.")
    )


def method_not_allowed(request: HttpRequest, allowed: str = "") -> JsonResponse:
    response = json_error(
        405,
        "method_not_allowed",
        _("The method %(method)s is not allowed here; allowed: %(allowed)s.")
        % {"method": request.method, "allowed": allowed or "-"},
    )
    if allowed:
        response["Allow"] = allowed
    return response


def request_too_large(request: HttpRequest) -> JsonResponse:
    return json_error(
        413, "request_too_large", _("The request is too large; send a smaller body.")
    )


def server_error(request: HttpRequest) -> JsonResponse:
    return json_error(
        500,
        "internal_error",
        _("An internal error occurred and has been logged; try again later or contact the "
          "system administrator."),
    )


def handler500(request: HttpRequest) -> HttpResponse:
    """config.urls.handler500: an exception outside the API views (middleware, URL resolution…).

    Under /api/ the JSON `internal_error` body, elsewhere the Chinese 500.html page. The language
    is the request's when LocaleMiddleware has run, else the site's default (Chinese). Never raises:
    if the page itself cannot be rendered, a plain-text message is answered.
    """
    language = getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        if request.path_info.startswith("/api/"):
            return server_error(request)
        try:
            return defaults.server_error(request)
        except Exception:
            log.exception("could not render the 500 page for %s %s", request.method, request.path)
            return HttpResponseServerError(
                _("An internal error occurred and has been logged; try again later or contact the "
                  "system administrator."),
                content_type="text/plain; charset=utf-8",
            )


def install(api: NinjaAPI) -> None:
    handlers: list[tuple[type[Exception], Any]] = [
        (ValidationError, on_validation_error),
        (DomainError, on_domain_error),
        (ApiError, on_api_error),
        (HttpError, on_http_error),
        (Http404, on_not_found),
        (DjangoPermissionDenied, on_django_permission_denied),
        (Exception, on_unexpected),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)


def is_json_error(response: HttpResponse) -> bool:
    """True when a response under /api/ already carries our JSON error body."""
    if not response.get("Content-Type", "").startswith("application/json"):
        return False
    try:
        body = json.loads(response.content or b"{}")
    except ValueError:
        return False
    return isinstance(body, dict) and "code" in body and "message" in body
