"""Request helpers shared by the web pages and the API."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def client_address(request: Any) -> str:
    """The caller's address: REMOTE_ADDR, or — behind ZHENGWU_NUM_PROXIES trusted proxies (nginx) — the address
    those proxies appended to X-Forwarded-For. Used for login lockout and rate limits alike."""
    meta = request.META
    proxies = int(str(settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0))
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return meta.get("REMOTE_ADDR", "") or "unknown"
