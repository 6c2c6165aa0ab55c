"""A fixed-window rate limit for Open311 in the shared cache: reads per client address, writes per API key.

The budgets are the API's own (`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`): `anon` for reads, `user` for a key's
writes (one key carries the submissions of a whole app's users), so the same ZHENGWU_API_*_RATE settings tune both.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from zhengwu.core.http import client_address

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _rate(scope: str) -> tuple[int, int]:
    rates: dict[str, str] = dict(getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {}))
    raw = rates.get(scope) or "60/min"
    count, period = raw.split("/")
    return int(count), _PERIODS[period[0]]


def client_ident(request: HttpRequest) -> str:
    return client_address(request)


def allow(*, scope: str, ident: str) -> tuple[bool, int]:
    """(allowed, seconds to wait) for one more call by `ident` under `scope`'s rate."""
    limit, period = _rate(scope)
    window = int(time.time()) // period
    key = f"zw:open311:{scope}:{ident}:{window}"
    try:
        count = cache.incr(key)  # the usual case: one command
    except ValueError:  # the window's first call (or the key expired meanwhile)
        count = 1 if cache.add(key, 1, timeout=period + 1) else cache.incr(key)
    if count > limit:
        return False, period - int(time.time()) % period
    return True, 0
