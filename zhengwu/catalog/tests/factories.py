"""Factories for service items, made through the catalog services so versions and audit events are real."""

from __future__ import annotations

import itertools
from decimal import Decimal

from zhengwu.catalog.models import Category, Mode, ServiceItem
from zhengwu.catalog.services import ItemContent, MaterialSpec, item_create
from zhengwu.orgs.models import Org, Window

_seq = itertools.count(1)

MATERIALS = (
    MaterialSpec("申请书", originals=1),
    MaterialSpec("营业执照", originals=1, copies=1),
    MaterialSpec("经营场所证明", copies=1),
)


def make_item(
    *,
    org: Org,
    code: str | None = None,
    name: str | None = None,
    mode: str = Mode.PROMISED,
    statutory: int = 20,
    promised: int = 10,
    online: bool = True,
    window: Window | None = None,
    category: str = Category.LICENSING,
    materials: tuple[MaterialSpec, ...] = MATERIALS,
) -> ServiceItem:
    n = next(_seq)
    if mode == Mode.INSTANT:
        promised = 0
    return item_create(
        actor=None,
        org=org,
        code=code or f"ITEM{n:04d}",
        content=ItemContent(
            name=name or f"测试事项{n}",
            category=category,
            statutory_limit_days=statutory,
            promised_limit_days=promised,
            mode=mode,
            online=online,
            fee_yuan=Decimal("0"),
            keywords="测试",
            window=window,
            materials=materials,
        ),
    )
