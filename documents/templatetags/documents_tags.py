"""Template helpers for the documents screens."""

from __future__ import annotations

from typing import Any

from django import template

from documents.kinds import KINDS
from documents.templatetags.document_filters import chinese_date

register = template.Library()


@register.filter(name="official_title")
def official_title(document: Any) -> str:
    spec = KINDS.get(getattr(document, "kind", ""))
    return spec.official_title if spec else ""


@register.filter(name="cn_date")
def cn_date(value: Any) -> str:
    return chinese_date(value)
