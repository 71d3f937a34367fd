"""Rate limit of the public verification page and API, per client address, in the cache."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 60


def limit() -> int:
    return int(getattr(settings, "UPWARD_VERIFY_PER_MINUTE", 10))


def client_ip(request: HttpRequest) -> str:
    """The visitor's address; the forwarded one only behind as many proxies as configured."""
    proxies = int(getattr(settings, "UPWARD_TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def verify_retry_after(request: HttpRequest) -> int | None:
    """Count one look-up; the seconds to wait when the address has used up its window."""
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"recognition:verify:{client_ip(request)}:{window}"
    cache.add(key, 0, WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS + 5)
        count = 1
    if count > limit():
        return max(1, int((window + 1) * WINDOW_SECONDS - now) + 1)
    return None
