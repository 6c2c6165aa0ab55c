"""Hooks through which apps that store values computed from an org's working-time setting (its office hours, and
its division's local days off) recompute them when the setting changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zhengwu.orgs.models import Org, Staff

_HOOKS: list[Callable[..., int]] = []


def register_working_time_change(fn: Callable[..., int]) -> Callable[..., int]:
    """Register `fn(*, org, actor) -> rows changed`; it runs inside the org change's transaction."""
    if fn not in _HOOKS:
        _HOOKS.append(fn)
    return fn


def working_time_changed(*, org: Org, actor: Staff | None) -> dict[str, int]:
    """Call every hook after `org`'s office hours or division changed; returns {hook name: rows changed}."""
    results: dict[str, int] = {}
    for fn in list(_HOOKS):
        name = f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"
        results[name] = int(fn(org=org, actor=actor) or 0)
    return results
