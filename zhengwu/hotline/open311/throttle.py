"""Open311's own rate limits, in fixed windows in the shared cache (Redis in production): one increment a call.

Three budgets, separate from the REST API's (`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`), because a 311 app's
traffic looks nothing like a staff member's:

- `read`: GET calls (discovery, services, requests, tokens), per client address;
- `key_write`: POST /requests with a valid, active api_key, per key — one key carries a whole app's users
  (a WeChat mini program's back end posts from one address), so it is counted per key, not per address;
- `address_write`: POST /requests without a valid key, per client address — small, so keys cannot be guessed
  at speed.

Rates are "N/s", "N/min", "N/hour" or "N/day", from the OPEN311_RATES setting (a dict over these names, filled
from ZHENGWU_OPEN311_READ_RATE, ZHENGWU_OPEN311_KEY_WRITE_RATE and ZHENGWU_OPEN311_ADDRESS_WRITE_RATE in
config/settings/base.py); a name missing there takes the default below. Refusals are 429 with Retry-After, in
GeoReport v2's error format (views.open311).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from zhengwu.core.http import client_address

READ = "read"
KEY_WRITE = "key_write"
ADDRESS_WRITE = "address_write"
DEFAULT_RATES = {READ: "120/min", KEY_WRITE: "600/min", ADDRESS_WRITE: "10/min"}
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate(scope: str) -> tuple[int, int]:
    """(calls, seconds) allowed under `scope`: the OPEN311_RATES setting, else the default.
    The REST API's own scopes ("user", "anon") read REST_FRAMEWORK's rates (the API's ticket endpoints use them)."""
    if scope in DEFAULT_RATES:
        configured: dict[str, str] = dict(getattr(settings, "OPEN311_RATES", None) or {})
        raw = configured.get(scope) or DEFAULT_RATES[scope]
    else:
        rates: dict[str, str] = dict(getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {}))
        raw = rates.get(scope) or "60/min"
    count, period = raw.split("/")
    return int(count), _PERIODS[period.strip()[0]]


def client_ident(request: HttpRequest) -> str:
    return client_address(request)


def allow(*, scope: str, ident: str) -> tuple[bool, int]:
    """(allowed, seconds to wait) for one more call by `ident` under `scope`'s rate."""
    limit, period = rate(scope)
    window = int(time.time()) // period
    key = f"zw:open311:{scope}:{ident}:{window}"
    try:
        count = cache.incr(key)  # the usual case: one command
    except ValueError:  # the window's first call (or the key expired meanwhile)
        count = 1 if cache.add(key, 1, timeout=period + 1) else cache.incr(key)
    if count > limit:
        return False, period - int(time.time()) % period
    return True, 0
