"""Limit/offset pagination with a maximum page size, for every list endpoint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase, paginate

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
MAX_OFFSET = 1_000_000


class Page(PaginationBase):
    class Input(Schema):
        limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="page size")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="items to skip")

    class Output(Schema):
        items: list[Any]
        count: int
        limit: int
        offset: int

    def paginate_queryset(
        self, queryset: QuerySet[Any] | list[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        offset, limit = pagination.offset, pagination.limit
        return {
            "items": list(queryset[offset : offset + limit]),
            "count": self._items_count(queryset),  # type: ignore[arg-type]
            "limit": limit,
            "offset": offset,
        }


def paginated(func: Callable[..., Any]) -> Callable[..., Any]:
    return paginate(Page)(func)  # type: ignore[no-any-return]
