"""Open311's own rate limits, counted by the API's fixed-window counter (`zhengwu.api.throttling.allow`).

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

from django.conf import settings
from django.http import HttpRequest

from zhengwu.api import throttling
from zhengwu.core.http import client_address

READ = "read"
KEY_WRITE = "key_write"
ADDRESS_WRITE = "address_write"
DEFAULT_RATES = {READ: "120/min", KEY_WRITE: "600/min", ADDRESS_WRITE: "10/min"}


def rate(scope: str) -> tuple[int, int]:
    """(calls, seconds) allowed under one of Open311's scopes: the OPEN311_RATES setting, else the default."""
    configured: dict[str, str] = dict(getattr(settings, "OPEN311_RATES", None) or {})
    return throttling.parse_rate(configured.get(scope) or DEFAULT_RATES[scope])


def client_ident(request: HttpRequest) -> str:
    return client_address(request)


def allow(*, scope: str, ident: str) -> tuple[bool, int]:
    """(allowed, seconds to wait) for one more Open311 call by `ident` under `scope`'s rate."""
    return throttling.allow(scope=f"open311:{scope}", ident=ident, rate=rate(scope))
