"""Abuse controls of the online application form (一网通办), no CAPTCHA: tracking codes, a
per-address rate limit, a honeypot field, size limits and attachment types checked by content."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings

from core.throttle import rate_limited

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
CODE_LENGTH = 12
MAX_TEXT = 5000
MAX_FILES = 8
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TOTAL_BYTES = 18 * 1024 * 1024  # below ZHIFA_MAX_REQUEST_BYTES (20 MB)
HONEYPOT_FIELD = "website"

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    code = "".join(ch for ch in (raw or "")[:40].upper() if ch not in " -_")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return ""
    return code


def display_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def sniff(head: bytes) -> str | None:
    """The content type of an accepted file by its first bytes (the name is ignored), else None."""
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def throttle_message(wait: int) -> str:
    from django.utils.translation import gettext as _

    return _("Too many requests from your address; wait %(seconds)d seconds and try again.") % {
        "seconds": wait
    }


def honeypot_message() -> str:
    from django.utils.translation import gettext as _

    return _(
        "The form could not be accepted. If you are a person, please send it again without filling in "
        "hidden fields, or apply at the service window."
    )


def not_found_message() -> str:
    from django.utils.translation import gettext as _

    return _(
        "No application has this tracking code. Check the code (letters and digits, without 0, O, 1, I or L)."
    )


def throttled(request: Any, bucket: str) -> int:
    """0 when the request may go on; else the seconds to wait. Counts the request."""
    if bucket == "submit":
        limit = int(getattr(settings, "ZHIFA_APPLICATIONS_PER_HOUR", 5))
        return rate_limited(request, scope="service:submit", limit=limit, period=3600)
    limit = int(getattr(settings, "ZHIFA_APPLICATION_LOOKUPS_PER_MINUTE", 30))
    return rate_limited(request, scope=f"service:{bucket}", limit=limit, period=60)
