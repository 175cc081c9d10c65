"""`{% documents_can "manage_templates" as may %}` for the main navigation."""

from __future__ import annotations

from typing import Any

from django import template

from documents import policies

register = template.Library()


@register.simple_tag(takes_context=True)
def documents_can(context: template.Context, verb: str, obj: Any = None) -> bool:
    request = context.get("request")
    return policies.can(getattr(request, "user", None), verb, obj)
