"""Template helpers of the org screens: whether to show a link or button is `org.policies`' call."""

from __future__ import annotations

from typing import Any

from django import template

from org import policies

register = template.Library()


@register.simple_tag(takes_context=True)
def org_can(context: template.Context, verb: str, obj: Any = None) -> bool:
    """`{% org_can "view" agency.parent as may_view_parent %}`: may the current user do `verb` to `obj`?

    Without a request (or user) in the context, no: None would mean "the system" to the policy.
    """
    user = getattr(context.get("request"), "user", None)
    return user is not None and policies.can(user, verb, obj)
