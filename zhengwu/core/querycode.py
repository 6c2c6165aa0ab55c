"""Query codes (查询码) that applicants use to follow a case, request or ticket without an account."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L: read aloud over the phone and typed on a phone keyboard without confusion.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10  # 31**10 ≈ 8e14: guessing one of a province's tens of millions of open codes stays hopeless


def new_query_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_query_code(raw: str) -> str:
    """What the applicant typed, upper-cased with spaces and dashes removed ("" when it cannot be a code)."""
    cleaned = raw.strip().upper().replace(" ", "").replace("-", "")
    if len(cleaned) != LENGTH or any(c not in ALPHABET for c in cleaned):
        return ""
    return cleaned


def format_query_code(code: str) -> str:
    """XXXXX-XXXXX for printing on a receipt."""
    return f"{code[:5]}-{code[5:]}"
