"""Hooks through which apps that store due dates recompute them when a year's notice replaces a provisional year."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff


class DueDateRecompute(Protocol):
    def __call__(self, *, years: range, actor: Staff | None) -> int:
        """Recompute every stored due date counted across `years`; audit each change; return how many changed."""
        ...


_HOOKS: list[Callable[..., int]] = []


def register_due_date_recompute(fn: Callable[..., int]) -> Callable[..., int]:
    """Register a hook (usable as a decorator); it runs inside the calendar change's transaction."""
    if fn not in _HOOKS:
        _HOOKS.append(fn)
    return fn


def unregister_due_date_recompute(fn: Callable[..., int]) -> None:
    if fn in _HOOKS:
        _HOOKS.remove(fn)


def run_recompute_hooks(*, years: range, actor: Staff | None) -> dict[str, int]:
    """Call every hook; returns {hook name: due dates changed} for the audit event."""
    results: dict[str, int] = {}
    for fn in list(_HOOKS):
        name = f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"
        results[name] = int(fn(years=years, actor=actor) or 0)
    return results
