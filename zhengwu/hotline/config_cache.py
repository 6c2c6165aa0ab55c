"""Per-process copies of what every ticket intake reads and almost never changes: API tokens → staff (with their
grants), hotline orgs by code, handling rules.

Each web process keeps its own copy, stamped with a generation read from the shared cache (Redis in production,
so one `GET` per request instead of three or four database queries). Saving or deleting a token, staff member,
membership, org or handling rule sets a new generation once its transaction commits; every process sees the new
generation on its next request and drops its copy. The generation is read *before* a copy is loaded, so a copy
loaded from data older than a change is stamped with the older generation and dropped too. A copy is also
dropped after `MAX_AGE` seconds, so a change made behind the ORM's back (a raw `UPDATE`) is seen within a minute.

The shared generation is read at most once every `CHECK_INTERVAL` seconds per process (a `GET` to Redis on every
intake was a tenth of its CPU): a change made in one process applies there at once and in the others within that
second — a revoked token or membership, too.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save

GENERATION_KEY = "zw:hotline:config-generation"
MAX_AGE = 60.0  # seconds
CHECK_INTERVAL = 1.0  # seconds between two reads of the shared generation in one process
MAX_ENTRIES = 10_000  # per process; the copy is dropped whole when it grows past this

T = TypeVar("T")

_lock = threading.Lock()
_state: dict[str, Any] = {"generation": None, "loaded_at": 0.0, "checked_at": -CHECK_INTERVAL, "entries": {}}
_monotonic = time.monotonic  # the tests move it
# Within one web request the generation is read once (reset by request_started); elsewhere on every look-up.
_request = threading.local()


def _current_generation() -> Any:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def entries() -> dict[Any, Any]:
    """This process's copy for the current generation (checked against the shared cache once per request)."""
    checked = getattr(_request, "checked", None)
    if checked is not None and checked is _state["entries"]:
        return checked
    now = _monotonic()
    generation = _state["generation"]
    if generation is None or now - _state["checked_at"] >= CHECK_INTERVAL:
        generation = _current_generation()
        _state["checked_at"] = now
    with _lock:
        if _state["generation"] != generation or now - _state["loaded_at"] > MAX_AGE:
            _state.update(generation=generation, loaded_at=now, entries={})
        box: dict[Any, Any] = _state["entries"]
    if getattr(_request, "active", False):
        _request.checked = box
    return box


def _request_started(**kwargs: Any) -> None:
    _request.active = True
    _request.checked = None


def _request_finished(**kwargs: Any) -> None:
    _request.active = False
    _request.checked = None


def cached(key: Any, load: Callable[[], T]) -> T:
    """The value under `key`, loaded with `load()` on a miss. None is not kept (an unknown token or org code
    may exist a moment later: creating one then needs no invalidation)."""
    box = entries()
    try:
        return box[key]
    except KeyError:
        pass
    value = load()
    if value is None:
        return value
    with _lock:
        if len(box) >= MAX_ENTRIES:
            box.clear()
        box[key] = value
    return value


def invalidate() -> None:
    """A new generation, for every process, once the current transaction (if any) commits."""
    transaction.on_commit(_bump)
    _bump_local()


def _bump() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    _bump_local()


def reset() -> None:
    """Drop this process's copy now (the tests start each test without one: a copy is not rolled back)."""
    _bump_local()


def _bump_local() -> None:
    with _lock:
        _state.update(generation=None, loaded_at=0.0, checked_at=-CHECK_INTERVAL, entries={})


# Rows whose creation makes a copy stale: a new membership grants more, a new rule changes due dates. A new
# token, staff member or org was never in a copy (misses are not kept).
_CREATION_MATTERS = {"orgs.membership", "hotline.handlingrule"}


def _on_change(sender: Any, created: bool = False, **kwargs: Any) -> None:
    if created and sender._meta.label_lower not in _CREATION_MATTERS:
        return
    invalidate()


def connect() -> None:
    """Listen to the models the copies are made of (called from the app's ready())."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from zhengwu.hotline.models import ApiClient, HandlingRule
    from zhengwu.orgs.models import Membership, Org

    request_started.connect(_request_started, dispatch_uid="hotline-config-cache-request-started")
    request_finished.connect(_request_finished, dispatch_uid="hotline-config-cache-request-finished")
    for model in (Token, get_user_model(), Membership, Org, HandlingRule, ApiClient):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"hotline-config-cache-save-{model._meta.label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"hotline-config-cache-delete-{model._meta.label}")
