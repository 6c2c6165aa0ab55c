"""The shape of the isolation matrix (tests/test_isolation_matrix.py) and how a domain extends it.

Each app that adds pages, endpoints or CLI verbs puts a module `zhengwu/<app>/tests/isolation.py` defining
`SPEC = IsolationSpec(...)`: its `seed(world)` creates records in county A and county B (B's records must show
`B_MARK` — "乙县" — wherever they are displayed, e.g. in a title or an applicant's name), and the dictionaries
classify every URL name and CLI verb of the app. The matrix then proves, for staff of county A in every role, that
lists show nothing of B, B's records are not found, writes aimed at B fail and change nothing, and CLI verbs run
`--as` them cannot reach B. A URL or verb that no spec classifies fails the matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zhengwu.orgs.models import Org, Role, Staff

B_MARK = "乙县"

Kwargs = Callable[["World"], dict[str, Any]]
Args = Callable[["World"], list[str]]


@dataclass
class World:
    """Two counties made by `make_county` ("甲县" = A, "乙县" = B), A's staff in every role at A's government
    (subtree scope), one admin of B, and whatever the specs' `seed` functions add to `objects`."""

    a: dict[str, Org]
    b: dict[str, Org]
    a_staff: dict[Role, Staff]
    b_staff: Staff
    objects: dict[str, Any] = field(default_factory=dict)


@dataclass
class IsolationSpec:
    seed: Callable[[World], None] | None = None
    # URL names (with namespace) that show no org's records: portal pages, login, schema …
    public: set[str] = field(default_factory=set)
    # Lists and personal pages: 200 (or 403), nothing of B in the body.
    lists: dict[str, Kwargs] = field(default_factory=dict)
    # B's records addressed directly: 403 or 404, nothing of B in the body.
    records: dict[str, Kwargs] = field(default_factory=dict)
    # Platform-wide operations: county staff get 403/404/405.
    operator_only: dict[str, Kwargs] = field(default_factory=dict)
    # Writes aimed at B: (url name, kwargs, method, JSON body) → 4xx and no row changed anywhere.
    writes: list[tuple[str, Kwargs, str, Kwargs]] = field(default_factory=list)
    # Form posts aimed at B (staff pages): (url name, kwargs, form data) → not 2xx/3xx-success, no row changed.
    form_writes: list[tuple[str, Kwargs, Kwargs]] = field(default_factory=list)
    # CLI verbs ("org add"): args aimed at B → exit 2, no change.
    cli_writes: dict[str, Args] = field(default_factory=dict)
    # CLI reads → exit 0, nothing of B printed.
    cli_reads: dict[str, Args] = field(default_factory=dict)
    # CLI verbs for the platform operator only → exit 2 with "平台管理员", no change.
    cli_operator_only: dict[str, Args] = field(default_factory=dict)
    # Apps whose tables the "no row changed" snapshot also covers.
    app_labels: set[str] = field(default_factory=set)
