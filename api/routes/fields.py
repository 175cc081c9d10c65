"""Parameter types shared by the routes, with Chinese validation messages."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any

from django.utils.translation import gettext as _
from pydantic import BeforeValidator, Field

from api.errors import nul_message

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD: pydantic alone would also take Unix timestamps and datetimes."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError(_("Enter a valid date in the form YYYY-MM-DD."))
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(_("%(value)s is not a date that exists.") % {"value": value}) from None


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date), Field(description="YYYY-MM-DD")]


def _no_nul(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL characters: refuse them as a 400, not a database error."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(nul_message())
    return value


# A string parameter that reaches the database (search terms, codes).
Text = Annotated[str, BeforeValidator(_no_nul)]
