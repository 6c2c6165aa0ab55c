"""Login lockout: after LOGIN_FAILURE_LIMIT failures for a username (or four times as many from one address)
within the period, further attempts are refused until it ends. Counters live in the shared cache (database or
Redis), so every worker process sees the same counts."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"login-fail:{kind}:{digest}"


def _keys(username: str, address: str) -> list[str]:
    return [_key("user", username), _key("addr", address)]


def is_locked(username: str, address: str) -> bool:
    counts = cache.get_many(_keys(username, address))
    # An address gets more room than one account: a hall's NAT puts many windows behind one address.
    return (
        counts.get(_key("user", username), 0) >= settings.LOGIN_FAILURE_LIMIT
        or counts.get(_key("addr", address), 0) >= settings.LOGIN_FAILURE_LIMIT * 4
    )


def register_failure(username: str, address: str) -> int:
    """Count one failure; return the username's failures so far in the period."""
    counts = []
    for key in _keys(username, address):
        # add() then incr() keeps the count atomic in Redis and in the database cache alike.
        cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
        try:
            counts.append(cache.incr(key))
        except ValueError:
            cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)
            counts.append(1)
    return counts[0]


def clear(username: str) -> None:
    cache.delete(_key("user", username))
