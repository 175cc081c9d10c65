"""Filters available in document templates (the sandboxed engine loads them as builtins)."""

from __future__ import annotations

import datetime
from typing import Any

from django import template

register = template.Library()


def chinese_date(value: Any) -> str:
    """2026年3月5日: the 成文日期 of GB/T 9704-2012 7.3.5.3, Arabic numerals, no leading zeros."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, str) and value:
        try:
            return chinese_date(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    return "" if value is None else str(value)


@register.filter(name="cn_date")
def cn_date(value: Any) -> str:
    return chinese_date(value)
