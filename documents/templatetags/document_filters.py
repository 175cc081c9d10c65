"""Filters available in document templates (the sandboxed engine loads them as builtins)."""

from __future__ import annotations

import datetime
import re
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


@register.filter(name="cells")
def cells(value: Any, count: int = 4) -> list[str]:
    """Split one line "题名|文号|日期|页号" into `count` cells (missing ones empty, ISO dates written
    2026年3月5日)."""
    parts = [part.strip() for part in str(value or "").split("|")]
    parts = (parts + [""] * int(count))[: int(count)]
    return [chinese_date(part) if _ISO_DATE.fullmatch(part) else part for part in parts]


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
