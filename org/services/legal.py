"""Organisation legal settings kept as data (core.LegalSetting): the system administrator's acts."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from core.models import LegalSetting
from org import policies
from org.selectors import LEGAL_REVIEWER_MIN_RATIO_KEY, legal_reviewer_min_ratio
from org.services._common import record

LEGAL_REVIEWER_RATIO_BASIS = "国办发〔2018〕118号; 武定县自然资源局 2023 二(三)2"


def legal_reviewer_min_ratio_set(*, actor: Any, ratio: Decimal | str) -> Decimal:
    """Set the least share of legal reviewers among enforcement staff (default 5%, 118号 / seed 002)."""
    policies.ensure(actor, "change_legal_setting", None)
    try:
        value = Decimal(str(ratio).strip())
    except InvalidOperation:
        value = Decimal("NaN")
    exponent = value.normalize().as_tuple().exponent if value.is_finite() else "n"
    if not isinstance(exponent, int) or exponent < -4 or not Decimal(0) <= value <= Decimal(1):
        message = _("The ratio is a number between 0 and 1 with at most four decimals (0.05 means 5%).")
        raise ValidationFailed(message, field_errors={"ratio": [message]})
    with transaction.atomic():
        setting = LegalSetting.objects.select_for_update().filter(key=LEGAL_REVIEWER_MIN_RATIO_KEY).first()
        old = legal_reviewer_min_ratio()
        if setting is None:
            setting = LegalSetting(key=LEGAL_REVIEWER_MIN_RATIO_KEY, basis=LEGAL_REVIEWER_RATIO_BASIS,
                                   description="legal reviewers / enforcement staff, at least")
        elif old == value:
            return value
        setting.value = float(value)
        setting.save()
        record(actor=actor, act="org.legal_setting_changed", obj=setting, agency_id=None,
               payload={"key": setting.key, "changes": {"value": {"old": str(old), "new": str(value)}}})
    return value
