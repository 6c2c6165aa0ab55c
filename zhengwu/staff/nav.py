"""Workspace navigation entries contributed by the domain apps (registered in their AppConfig.ready)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str | Promise
    url_name: str
    permission: str  # shown when policies.can_anywhere(user, permission)
    order: int = 100


_ENTRIES: dict[str, NavEntry] = {}


def register_nav(*, key: str, label: str | Promise, url_name: str, permission: str, order: int = 100) -> None:
    _ENTRIES[key] = NavEntry(key, label, url_name, permission, order)


def nav_entries() -> list[NavEntry]:
    return sorted(_ENTRIES.values(), key=lambda e: (e.order, e.key))
