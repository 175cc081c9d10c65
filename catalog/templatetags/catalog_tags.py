"""Template helpers of the catalog screens: whether to show a button is `catalog.policies`' call."""

from __future__ import annotations

from typing import Any

from django import template

from catalog import policies

register = template.Library()


@register.simple_tag(takes_context=True)
def catalog_can(context: template.Context, verb: str, obj: Any = None) -> bool:
    """`{% catalog_can "edit" item as may_edit %}`: may the current user do `verb` to `obj`?"""
    user = getattr(context.get("request"), "user", None)
    return user is not None and policies.can(user, verb, obj)  # None would mean "the system"
