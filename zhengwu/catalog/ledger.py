"""The `items` ledger (政务服务事项台账, spec/cli-and-ledgers.md): import creates items or revises them (a changed row
makes a new version, an unchanged one nothing); export writes the same columns back."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from zhengwu.catalog.models import Category, Mode, ServiceItem
from zhengwu.catalog.services import ItemContent, item_create, item_revise
from zhengwu.core import ledger
from zhengwu.core.ledger import Column, ImportResult, LedgerKind, Problem, Row
from zhengwu.core.transitions import audited_update
from zhengwu.orgs.models import Org

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff

COLUMNS = (
    Column("code", "事项编码", ledger.text(60), required=True),
    Column("name", "事项名称", ledger.text(200), required=True),
    Column("category", "事项类型", ledger.choice({c.value: str(c.label) for c in Category}), required=True),
    Column("department", "实施部门", ledger.text(40), required=True),
    Column("statutory_limit_days", "法定时限", ledger.integer(0, 999), required=True),
    Column("promised_limit_days", "承诺时限", ledger.integer(0, 999), required=True),
    Column("mode", "办件类型", ledger.choice({m.value: str(m.label) for m in Mode}), required=True),
    Column("online", "网上办理", ledger.flag),
    Column("fully_online", "全程网办", ledger.flag),
    Column("fee_yuan", "收费标准", ledger.yuan),
)


def _check(row: Row) -> Iterable[tuple[str, str]]:
    statutory, promised, mode = row["statutory_limit_days"], row["promised_limit_days"], row["mode"]
    if statutory and promised is not None and promised > statutory:
        yield "promised_limit_days", _("承诺时限不能超过法定时限")
    if mode == Mode.INSTANT and promised:
        yield "promised_limit_days", _("即办件的承诺时限应为 0")
    if mode == Mode.PROMISED and promised == 0:
        yield "promised_limit_days", _("承诺件的承诺时限应大于 0")
    if row["fully_online"] and row["online"] is False:
        yield "online", _("全程网办的事项必须可网上办理")


def _departments(rows: list[Row], org: Org) -> dict[str, Org]:
    codes = {r["department"] for r in rows}
    return {o.code: o for o in Org.objects.filter(code__in=codes, path__startswith=org.path)}


def _validate(*, rows: list[Row], org: Org, actor: Staff | None) -> Iterable[Problem]:
    departments = _departments(rows, org)
    foreign = set(
        ServiceItem.objects.filter(code__in=[r["code"] for r in rows])
        .exclude(org__path__startswith=org.path)
        .values_list("code", flat=True)
    )
    for row in rows:
        if row["department"] not in departments:
            yield Problem(row.line, "department", _("不是本机构或其下级机构的代码：%(c)s") % {"c": row["department"]})
        if row["code"] in foreign:
            yield Problem(row.line, "code", _("事项编码已被其他机构使用：%(c)s") % {"c": row["code"]})


def _content(row: Row, base: ItemContent | None) -> ItemContent:
    values: dict[str, Any] = {
        "name": row["name"],
        "category": row["category"],
        "statutory_limit_days": row["statutory_limit_days"],
        "promised_limit_days": row["promised_limit_days"],
        "mode": row["mode"],
        "online": bool(row["online"]) or bool(row["fully_online"]),
        "fully_online": bool(row["fully_online"]),
        "fee_yuan": row["fee_yuan"] if row["fee_yuan"] is not None else ledger.yuan("0"),
    }
    if values["fully_online"]:
        values["online_depth"] = 4
    return dataclasses.replace(base, **values) if base is not None else ItemContent(**values)


def _import(*, rows: list[Row], org: Org, actor: Staff | None) -> ImportResult:
    result = ImportResult()
    departments = _departments(rows, org)
    existing = {
        i.code: i for i in ServiceItem.objects.filter(code__in=[r["code"] for r in rows]).select_related("current")
    }
    for row in rows:
        department = departments[row["department"]]
        item = existing.get(row["code"])
        if item is None:
            item_create(actor=actor, org=department, code=row["code"], content=_content(row, None))
            result.created += 1
            continue
        assert item.current is not None
        before = item.current.number
        moved = item.org_id != department.pk
        if moved:
            audited_update(item, actor=actor, action="item.move", changes={"org": department}, reason=_("台账导入"))
        version = item_revise(
            actor=actor, item=item, content=_content(row, ItemContent.of(item.current)), change_note=_("台账导入")
        )
        if version.number != before or moved:
            result.updated += 1
        else:
            result.unchanged += 1
    return result


def _export(*, org: Org, actor: Staff | None) -> Iterable[Mapping[str, Any]]:
    qs = ServiceItem.objects.filter(org__path__startswith=org.path, current__isnull=False).select_related(
        "current", "org"
    )
    for item in qs.order_by("code"):
        v = item.current
        assert v is not None
        yield {
            "code": item.code,
            "name": v.name,
            "category": v.category,
            "department": item.org.code,
            "statutory_limit_days": v.statutory_limit_days,
            "promised_limit_days": v.promised_limit_days,
            "mode": v.mode,
            "online": v.online,
            "fully_online": v.fully_online,
            "fee_yuan": v.fee_yuan,
        }


ITEMS = ledger.register_kind(
    LedgerKind(
        name="items",
        title="政务服务事项",
        columns=COLUMNS,
        importer=_import,
        exporter=_export,
        check=_check,
        validate=_validate,
        key="code",
        permission="catalog.manage",
    )
)
