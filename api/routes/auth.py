"""/auth: obtain, list and revoke bearer tokens."""


import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.responses import Status

from api import selectors, services
from api.auth import caller, obtain_token
from api.errors import ApiError, with_errors
from api.pagination import paginated

router = Router(tags=["auth"])

TOKEN_ID: Any = Path(..., ge=1, le=2**62)  # type: ignore[type-arg]


class TokenIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=1024)
    otp: str | None = Field(None, max_length=16, description="TOTP code, where the account uses MFA")
    name: str = Field("", max_length=100, description="What the token is for")
    expires_in_days: int = Field(services.DEFAULT_TOKEN_DAYS, ge=1, le=services.MAX_TOKEN_DAYS)


class TokenOut(Schema):
    id: int
    token: str = Field(..., description="Shown once; only its digest is stored")
    token_type: str = "Bearer"
    name: str
    created: datetime.datetime
    expires: datetime.datetime


class TokenInfo(Schema):
    id: int
    name: str
    prefix: str
    created: datetime.datetime
    last_used: datetime.datetime | None
    expires: datetime.datetime
    revoked: datetime.datetime | None


@router.post("/token", auth=None, response=with_errors(TokenOut, 201), summary="Obtain a bearer token")
def token_obtain(request: HttpRequest, payload: TokenIn) -> Status[Any]:
    token, raw = obtain_token(
        request,
        username=payload.username,
        password=payload.password,
        otp=payload.otp,
        name=payload.name,
        expires_in_days=payload.expires_in_days,
    )
    return Status(201, {
        "id": token.pk, "token": raw, "token_type": "Bearer", "name": token.name,
        "created": token.created, "expires": token.expires,
    })


@router.get("/tokens", response=with_errors(list[TokenInfo]), summary="My tokens")
@paginated
def token_list(request: HttpRequest) -> object:
    return selectors.tokens_of(caller(request))


@router.delete("/token", response=with_errors(TokenInfo), summary="Revoke the token of this request")
def token_revoke_current(request: HttpRequest) -> object:
    token = getattr(request, "api_token", None)
    if token is None:
        raise ApiError(
            400,
            "no_bearer_token",
            _("This request was not made with a bearer token; to revoke a token by its id use "
              "DELETE /api/v1/auth/tokens/{id}."),
        )
    return services.token_revoke(actor=caller(request), token_id=token.pk, ip=_ip(request))


@router.delete("/tokens/{token_id}", response=with_errors(TokenInfo), summary="Revoke a token")
def token_revoke(request: HttpRequest, token_id: int = TOKEN_ID) -> object:
    return services.token_revoke(actor=caller(request), token_id=token_id, ip=_ip(request))


def _ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))
