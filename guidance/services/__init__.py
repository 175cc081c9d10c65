"""Writes of the guidance app, split by sub-domain: records (事前提示 / 事中指导), the typical-case
library, inquiries (首问负责)."""

from guidance.services.first_contact import first_contact_escalate
from guidance.services.inquiries import inquiry_handover, inquiry_receive, inquiry_reply, inquiry_take
from guidance.services.library import (
    typical_case_create,
    typical_case_from_case,
    typical_case_review,
    typical_case_submit,
    typical_case_update,
    typical_case_withdraw,
)
from guidance.services.records import guidance_outcome, guidance_record

__all__ = [
    "first_contact_escalate",
    "guidance_outcome",
    "guidance_record",
    "inquiry_handover",
    "inquiry_receive",
    "inquiry_reply",
    "inquiry_take",
    "typical_case_create",
    "typical_case_from_case",
    "typical_case_review",
    "typical_case_submit",
    "typical_case_update",
    "typical_case_withdraw",
]
