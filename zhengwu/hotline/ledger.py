"""The `tickets` ledger (12345 工单台账, spec/cli-and-ledgers.md): import keyed by ref within the hotline's org,
and export that reads back unchanged.

Imported tickets are history kept elsewhere before zhengwu: their status is derived from the ledger's dates
(concluded → 已办结, dispatched → 办理中, else 待处理) and written by the import itself, audited like any change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from zhengwu.core import clock
from zhengwu.core.ledger import (
    Column,
    ImportResult,
    LedgerKind,
    Problem,
    Row,
    choice,
    date,
    instant,
    register_kind,
    sync_by_ref,
    text,
)
from zhengwu.hotline import policies as hp
from zhengwu.hotline.models import CallbackResult, Channel, Dispatch, DispatchRole, Ticket, TicketKind
from zhengwu.hotline.states import TicketStatus
from zhengwu.orgs.models import Org

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff

KIND_NAME = "tickets"
COLUMNS = (
    Column("ref", "编号", text(40), required=True),
    Column("channel", "来源渠道", choice({c.value: str(c.label) for c in Channel}), required=True),
    Column("kind", "诉求类型", choice({k.value: str(k.label) for k in TicketKind}), required=True),
    Column("created_at", "受理时间", instant, required=True),
    Column("unit", "承办单位", text(40)),
    Column("dispatched_at", "派单时间", instant),
    Column("due_on", "期限届满日", date),
    Column("concluded_at", "办结时间", instant),
    Column("callback", "回访结果", choice({c.value: str(c.label) for c in CallbackResult})),
)


def _check(row: Row) -> Iterator[tuple[str, str]]:
    created = row["created_at"]
    if row["unit"] is None:
        for name in ("dispatched_at", "due_on", "callback"):
            if row[name] is not None:
                yield name, _("没有承办单位（直接答复）的工单不应填写此列")
    elif row["dispatched_at"] is None:
        yield "dispatched_at", _("填写了承办单位时必须填写派单时间")
    if created is not None:
        for name in ("dispatched_at", "concluded_at"):
            if row[name] is not None and row[name] < created:
                yield name, _("早于受理时间")
        if row["due_on"] is not None and row["due_on"] < clock.local(created).date():
            yield "due_on", _("早于受理日期")
    if (
        row["dispatched_at"] is not None
        and row["concluded_at"] is not None
        and row["concluded_at"] < row["dispatched_at"]
    ):
        yield "concluded_at", _("早于派单时间")


def _units(org: Org, codes: Iterable[str]) -> dict[str, Org]:
    return {o.code: o for o in Org.objects.filter(code__in=set(codes), path__startswith=org.path).exclude(pk=org.pk)}


def _validate(*, rows: list[Row], org: Org, actor: Staff | None) -> Iterator[Problem]:
    units = _units(org, (r["unit"] for r in rows if r["unit"]))
    for row in rows:
        if row["unit"] and row["unit"] not in units:
            yield Problem(row.line, "unit", _("不是本机关下级单位的机构代码：%(c)s") % {"c": row["unit"]})


def _import(*, rows: list[Row], org: Org, actor: Staff | None) -> ImportResult:
    units = _units(org, (r["unit"] for r in rows if r["unit"]))
    records: dict[str, dict[str, Any]] = {}
    for row in rows:
        unit = units[row["unit"]] if row["unit"] else None
        if row["concluded_at"] is not None:
            status = TicketStatus.CONCLUDED
        elif unit is not None:
            status = TicketStatus.HANDLING
        else:
            status = TicketStatus.NEW
        records[row["ref"]] = {
            "channel": row["channel"],
            "kind": row["kind"],
            "created_at": row["created_at"],
            "lead_unit_id": unit.pk if unit else None,
            "dispatched_at": row["dispatched_at"],
            "due_on": row["due_on"],
            "concluded_at": row["concluded_at"],
            "callback": row["callback"] or "",
            "status": status,
            "answered_directly": unit is None and row["concluded_at"] is not None,
        }
    result = sync_by_ref(model=Ticket, org=org, actor=actor, records=records, action_prefix="ledger.tickets")
    _sync_dispatches(org, list(records))
    return result


def _sync_dispatches(org: Org, refs: list[str]) -> None:
    """Each imported ticket with a unit has exactly one active lead dispatch to it, so it is in that unit's inbox."""
    tickets = list(Ticket.objects.filter(org=org, ref__in=refs).values_list("id", "lead_unit_id", "dispatched_at"))
    active = dict(
        Dispatch.objects.filter(ticket_id__in=[t[0] for t in tickets], active=True, role=DispatchRole.LEAD).values_list(
            "ticket_id", "unit_id"
        )
    )
    stale = [tid for tid, unit, _at in tickets if tid in active and active[tid] != unit]
    Dispatch.objects.filter(ticket_id__in=stale, active=True).update(active=False)
    Dispatch.objects.bulk_create(
        [
            Dispatch(
                ticket_id=tid, unit_id=unit, role=DispatchRole.LEAD, dispatched_at=at, accepted_at=at, note="台账导入"
            )
            for tid, unit, at in tickets
            if unit is not None and at is not None and (tid not in active or tid in stale)
        ]
    )


def _export(*, org: Org, actor: Staff | None) -> Iterator[Mapping[str, Any]]:
    rows = (
        Ticket.objects.filter(org=org)
        .order_by("created_at", "ref")
        .values_list(
            "ref",
            "channel",
            "kind",
            "created_at",
            "lead_unit__code",
            "dispatched_at",
            "due_on",
            "concluded_at",
            "callback",
        )
    )
    for ref, channel, kind, created_at, unit, dispatched_at, due_on, concluded_at, callback in rows.iterator(2000):
        yield {
            "ref": ref,
            "channel": channel,
            "kind": kind,
            "created_at": created_at,
            "unit": unit,
            "dispatched_at": dispatched_at if unit else None,
            "due_on": due_on if unit else None,
            "concluded_at": concluded_at,
            "callback": (callback or None) if unit else None,
        }


KIND = LedgerKind(
    name=KIND_NAME,
    title="12345工单台账",
    columns=COLUMNS,
    importer=_import,
    exporter=_export,
    check=_check,
    validate=_validate,
    permission=hp.CONFIGURE,
    personal_data=True,
)


def register() -> None:
    register_kind(KIND)
