from typing import Any

from django import template

from supervision.checks import check_label as _check_label

register = template.Library()


@register.filter
def check_label(code: str) -> str:
    return _check_label(code)


@register.filter
def act_label(code: str) -> str:
    from core.acts import act_label as label

    return label(code)


@register.simple_tag(takes_context=True)
def duban_count(context: dict[str, Any], case_id: int) -> dict[str, int]:
    """{% duban_count case.pk as duban %} → {"total": n, "open": m} of the 督办 on the case the
    current user may see (supervision.selectors.duban_count_for_case)."""
    from supervision.selectors import duban_count_for_case

    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:  # never the system's unrestricted view
        return {"total": 0, "open": 0}
    return duban_count_for_case(case_id, user)
