"""Rate limits for the API. Counters live in the default cache, so every web process shares them.

Authenticated calls are limited per user (`user` rate), anonymous ones per client address (`anon`). A view that
needs its own budget sets `throttle_scope = "<name>"` (rate in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]) or, for
anonymous public endpoints, uses `PublicThrottle` so the budget is per address even for a logged-in caller.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle

# Scopes with a configured rate (config/settings/base.py, ZHENGWU_API_<SCOPE>_RATE).
AUTH_TOKEN = "auth_token"  # noqa: S105 — a throttle scope name, not a secret
PUBLIC_INTAKE = "public_intake"


class PublicThrottle(ScopedRateThrottle):
    """A scoped rate keyed on the client address only: public forms (intake, requests) are limited per address."""

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
