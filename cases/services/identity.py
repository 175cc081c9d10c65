"""Identity numbers of parties: 居民身份证 (GB 11643) and 统一社会信用代码 (GB 32100).

python-stdnum per DEPENDENCIES.md: checksum and birth date are errors; a region code unknown for
the birth date is only a warning (re-issued IDs carry codes that came later).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError


def check_resident_id(number: str, *, today: datetime.date | None = None) -> tuple[str, str]:
    """(normalised number, warning) or ValueError with the Chinese reason."""
    value = ric.compact(number or "").upper()
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise ValueError(_("A resident identity number has 17 digits and a check character (digit or X)."))
    if ric.calc_check_digit(value) != value[17]:
        raise ValueError(_("The check character of the resident identity number is wrong (GB 11643)."))
    try:
        born = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValueError(_("The birth date in the resident identity number is not a real date.")) from None
    if born > (today or datetime.date.today()) or born.year < 1900:
        raise ValueError(_("The birth date in the resident identity number lies outside 1900 to today."))
    warning = ""
    try:
        ric.get_birth_place(value)
    except StdnumError:
        warning = _("The region code %(code)s is not known for the birth date; check the number.") % {
            "code": value[:6]
        }
    return value, warning


def check_uscc(number: str) -> str:
    value = uscc.compact(number or "").upper()
    try:
        return str(uscc.validate(value))
    except StdnumError:
        raise ValueError(_("The unified social credit code is invalid (GB 32100 checksum).")) from None
