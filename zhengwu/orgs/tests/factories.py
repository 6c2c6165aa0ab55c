"""Factories for orgs and staff, built through the services so paths and audit events are real."""

from __future__ import annotations

import itertools

from zhengwu.orgs import services
from zhengwu.orgs.models import Org, OrgKind, Role, Scope, Staff

_seq = itertools.count(1)
PASSWORD = "test-password-123"


def make_org(
    *, parent: Org | None = None, kind: str = OrgKind.DEPARTMENT, code: str | None = None, name: str | None = None
) -> Org:
    n = next(_seq)
    if parent is None and kind == OrgKind.DEPARTMENT:
        kind = OrgKind.GOVERNMENT
    return services.org_create(
        actor=None, code=code or f"org{n}", name=name or f"测试机关{n}", kind=kind, parent=parent
    )


def make_staff(*, org: Org, role: str = Role.ADMIN, scope: str = Scope.SUBTREE, username: str | None = None) -> Staff:
    n = next(_seq)
    return services.staff_create(
        actor=None,
        org=org,
        username=username or f"user{n}",
        full_name=f"员工{n}",
        password=PASSWORD,
        role=role,
        scope=scope,
        check_password=False,
    )


def make_county(name: str = "甲县") -> dict[str, Org]:
    """A county government with two departments, a service center and one township with a village station."""
    gov = make_org(kind=OrgKind.GOVERNMENT, name=f"{name}人民政府")
    return {
        "gov": gov,
        "dept": make_org(parent=gov, name=f"{name}市场监督管理局"),
        "dept2": make_org(parent=gov, name=f"{name}自然资源局"),
        "center": make_org(parent=gov, kind=OrgKind.SERVICE_CENTER, name=f"{name}政务服务中心"),
        "town": (town := make_org(parent=gov, kind=OrgKind.GOVERNMENT, name=f"{name}城关镇人民政府")),
        "station": make_org(parent=town, kind=OrgKind.SERVICE_STATION, name=f"{name}东门社区便民服务站"),
    }
