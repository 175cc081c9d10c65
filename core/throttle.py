"""Fixed-window rate limits for the public pages (certificate check, complaints), kept in the cache.

One counter per (scope, client address, window); a window is `period` seconds long. Per process
unless a shared cache (Redis, database) is configured.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache


def client_address(request: Any) -> str:
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def rate_limited(request: Any, *, scope: str, limit: int, period: int) -> int:
    """Count this request; 0 while the client is within `limit` per window, else the seconds until
    the window ends (at least 1)."""
    now = int(time.time())
    key = f"throttle:{scope}:{client_address(request)}:{now // period}"
    cache.add(key, 0, period + 30)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        count = 1
    if count <= limit:
        return 0
    return max(period - now % period, 1)
