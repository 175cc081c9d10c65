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
