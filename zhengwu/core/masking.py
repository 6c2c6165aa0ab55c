"""Masking of personal data (ID numbers, phones, bank cards) wherever the whole value is not needed."""

from __future__ import annotations

import re

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
ID_NUMBER_RE = re.compile(
    r"(?<![0-9])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9A-Za-z])"
)
MOBILE_RE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def id_number_valid(value: str) -> bool:
    """GB 11643 check digit."""
    v = value.strip().upper()
    if len(v) != 18 or not v[:17].isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(v[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == v[17]


def mask_id_number(value: str | None) -> str:
    """110101********1234 — region and last four kept, birth date hidden."""
    if not value:
        return ""
    v = value.strip()
    if len(v) < 10:
        return "*" * len(v)
    return v[:6] + "*" * (len(v) - 10) + v[-4:]


def mask_phone(value: str | None) -> str:
    """138****5678 for mobiles; other numbers keep their first three and last two digits."""
    if not value:
        return ""
    v = value.strip()
    if len(v) == 11 and v.isdigit():
        return v[:3] + "****" + v[-4:]
    if len(v) <= 5:
        return "*" * len(v)
    return v[:3] + "*" * (len(v) - 5) + v[-2:]


def mask_name(value: str | None) -> str:
    """张** — the family name only."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)
