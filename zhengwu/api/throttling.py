"""Rate limits for the API and the public pages. Counters live in the default cache, so every web process shares
them.

Authenticated calls are limited per user (`user` rate), anonymous ones per client address (`anon`). A view that
needs its own budget sets `throttle_scope = "<name>"` (rate in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]) or, for
anonymous public endpoints, uses `PublicThrottle` so the budget is per address even for a logged-in caller.

`allow` is the cheap counter under all of them where speed matters (the hotline's ticket endpoints, Open311, the
portal's forms): one cache increment per call in fixed windows, where DRF's throttles keep and rewrite a list of
every call's time in the window, which costs more the larger the budget.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle

from zhengwu.core.http import client_address

# Scopes with a configured rate (config/settings/base.py, ZHENGWU_API_<SCOPE>_RATE).
AUTH_TOKEN = "auth_token"  # noqa: S105 — a throttle scope name, not a secret
PUBLIC_INTAKE = "public_intake"


class PublicThrottle(ScopedRateThrottle):
    """A scoped rate keyed on the client address only: public forms (intake, requests) are limited per address."""

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(raw: str) -> tuple[int, int]:
    """ "N/s", "N/min", "N/hour" or "N/day" → (calls, seconds)."""
    count, period = raw.split("/")
    return int(count), _PERIODS[period.strip()[0]]


def api_rate(scope: str) -> tuple[int, int]:
    """A scope's rate from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (ZHENGWU_API_<SCOPE>_RATE)."""
    rates: dict[str, str] = dict(getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {}))
    return parse_rate(rates.get(scope) or "60/min")


def allow(*, scope: str, ident: str, rate: tuple[int, int] | None = None) -> tuple[bool, int]:
    """(allowed, seconds to wait) for one more call by `ident` under `scope` — at `rate`, else the API's rate of
    that scope — counted in fixed windows in the shared cache."""
    limit, period = rate or api_rate(scope)
    window = int(time.time()) // period
    key = f"zw:rate:{scope}:{ident}:{window}"
    try:
        count = cache.incr(key)  # the usual case: one command
    except ValueError:  # the window's first call (or the key expired meanwhile)
        count = 1 if cache.add(key, 1, timeout=period + 1) else cache.incr(key)
    if count > limit:
        return False, period - int(time.time()) % period
    return True, 0


class UserWindowThrottle(BaseThrottle):
    """The `user` rate per authenticated user (`anon` per client address when anonymous), counted by `allow`."""

    def __init__(self) -> None:
        self.wait_seconds = 0

    def allow_request(self, request: Request, view: Any) -> bool:
        user = request.user
        if user is not None and user.is_authenticated:
            scope, ident = "user", f"u{user.pk}"
        else:
            scope, ident = "anon", client_address(request)
        allowed, self.wait_seconds = allow(scope=scope, ident=f"api:{ident}")
        return allowed

    def wait(self) -> float | None:
        return float(self.wait_seconds)
