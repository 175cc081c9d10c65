"""Abuse controls of the public complaint form and API (no CAPTCHA): tracking codes, a per-address
rate limit, a honeypot field, size limits and attachment types checked by their content."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings

from core.throttle import rate_limited

# Unambiguous upper-case letters and digits: no 0/O, 1/I/L. 31 symbols ** 12 ≈ 2**59.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12

MAX_DESCRIPTION = 5000
MAX_LOCATION = 255
MAX_FEEDBACK = 2000
MAX_FILES = 5
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TOTAL_BYTES = 15 * 1024 * 1024  # below ZHIFA_MAX_REQUEST_BYTES (20 MB)

HONEYPOT_FIELD = "website"

# (content type, extension) by the file's first bytes: the name and the declared type are ignored.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
    (b"%PDF-", "application/pdf", "pdf"),
)


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """Upper case without spaces and dashes; '' when it cannot be a tracking code."""
    code = "".join(ch for ch in (raw or "")[:40].upper() if ch not in " -_")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return ""
    return code


def display_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of an accepted file by its first bytes, else None."""
    for magic, content_type, ext in SIGNATURES:
        if head.startswith(magic):
            return content_type, ext
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def submissions_per_hour() -> int:
    return _limit("ZHIFA_COMPLAINTS_PER_HOUR", 5)


def lookups_per_minute() -> int:
    return _limit("ZHIFA_COMPLAINT_LOOKUPS_PER_MINUTE", 30)


def throttled(request: Any, bucket: str) -> int:
    """0 when the request may go on; else the seconds to wait. Counts the request."""
    if bucket == "submit":
        return rate_limited(request, scope="complaints:submit", limit=submissions_per_hour(), period=3600)
    return rate_limited(request, scope=f"complaints:{bucket}", limit=lookups_per_minute(), period=60)
