"""Formatting shared by the portal and the workspace."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def office_hours(value: str) -> str:
    """09:00-12:00,13:30-17:30 → 09:00–12:00、13:30–17:30 (as people write it)."""
    if not value:
        return ""
    return "、".join(part.strip().replace("-", "–") for part in value.split(","))
