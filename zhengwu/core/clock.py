"""The current instant and day, in one place so tests can freeze them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    """Today in Asia/Shanghai: legal deadlines are counted in the office's local days."""
    return local(now()).date()


def local(instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(SHANGHAI)
