"""The `tickets` ledger: CSV (UTF-8, GB18030 with Chinese headers) and XLSX, all or nothing, idempotent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from zhengwu.core.clock import SHANGHAI
from zhengwu.core.errors import PermissionDenied
from zhengwu.core.ledger import LedgerInvalid, ledger_export, ledger_import
from zhengwu.core.models import AuditEvent
from zhengwu.hotline.models import Dispatch, Ticket
from zhengwu.hotline.states import TicketStatus
from zhengwu.orgs.models import Role
from zhengwu.orgs.tests.factories import make_staff

pytestmark = pytest.mark.django_db


def _csv(county) -> str:
    return (
        "ref,channel,kind,created_at,unit,dispatched_at,due_on,concluded_at,callback\n"
        "T-001,phone,consultation,2026-10-08 09:15,,,,2026-10-08 09:20,\n"
        f"T-002,web,complaint,2026-10-09 10:00,{county['dept'].code},2026-10-09 11:00,2026-10-16,"
        "2026-10-15 16:00:00,satisfied\n"
        f"T-003,mailbox,help,2026-10-20T08:00:00+08:00,{county['dept2'].code},2026-10-20 09:00,2026-10-27,,\n"
    )


def _import(tmp_path: Path, county, content: bytes, name: str = "t.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return ledger_import(actor=None, kind_name="tickets", path=path, org=county["gov"])


def test_a_utf8_ledger_imports_and_a_second_import_changes_nothing(tmp_path, county):
    first = _import(tmp_path, county, _csv(county).encode("utf-8"))
    events = AuditEvent.objects.count()
    second = _import(tmp_path, county, _csv(county).encode("utf-8"))

    assert first.as_dict() == {"created": 3, "updated": 0, "unchanged": 0}
    assert second.as_dict() == {"created": 0, "updated": 0, "unchanged": 3}
    assert AuditEvent.objects.count() == events
    direct, concluded, open_ = (Ticket.objects.get(ref=r) for r in ("T-001", "T-002", "T-003"))
    assert direct.answered_directly and direct.status == TicketStatus.CONCLUDED
    assert concluded.callback == "satisfied" and concluded.lead_unit == county["dept"]
    assert open_.status == TicketStatus.HANDLING
    assert open_.created_at == dt.datetime(2026, 10, 20, 8, tzinfo=SHANGHAI)
    assert Dispatch.objects.get(ticket=open_, active=True).unit == county["dept2"]


def test_a_gb18030_ledger_with_chinese_headers_and_labels(tmp_path, county):
    content = (
        "编号,来源渠道,诉求类型,受理时间,承办单位,派单时间,期限届满日,办结时间,回访结果\n"
        f"T-101,市长信箱,举报,2026-10-12 14:00,{county['dept'].code},2026-10-12 15:00,2026-10-26,,\n"
    ).encode("gb18030")

    result = _import(tmp_path, county, content)

    ticket = Ticket.objects.get(ref="T-101")
    assert result.created == 1
    assert (ticket.channel, ticket.kind, ticket.due_on) == ("mailbox", "report", dt.date(2026, 10, 26))


def test_a_changed_row_updates_its_ticket_and_is_audited(tmp_path, county):
    _import(tmp_path, county, _csv(county).encode())
    changed = _csv(county).replace("2026-10-27,,", "2026-10-27,2026-10-26 10:00,basically_satisfied")

    result = _import(tmp_path, county, changed.encode())

    ticket = Ticket.objects.get(ref="T-003")
    assert result.as_dict() == {"created": 0, "updated": 1, "unchanged": 2}
    assert ticket.status == TicketStatus.CONCLUDED and ticket.callback == "basically_satisfied"
    assert AuditEvent.objects.filter(action="ledger.tickets.update", object_id=str(ticket.pk)).exists()


def test_every_bad_row_is_reported_and_nothing_is_imported(tmp_path, county, other_county):
    content = (
        "ref,channel,kind,created_at,unit,dispatched_at,due_on,concluded_at,callback\n"
        "T-1,phone,consultation,2026-10-08 09:15,,2026-10-08 09:20,,,\n"  # dispatched without a unit
        f"T-2,phone,complaint,2026-10-09 10:00,{county['dept'].code},,2026-10-16,,\n"  # unit without dispatch time
        f"T-3,fax,complaint,2026-10-09 10:00,{other_county['dept'].code},2026-10-09 11:00,2026-10-01,,\n"
        "T-4,phone,help,2026-10-09 10:00,,,,2026-10-08 10:00,\n"  # concluded before created
    )

    with pytest.raises(LedgerInvalid) as err:
        _import(tmp_path, county, content.encode())

    where = {(p.line, p.column.split(" ")[0]) for p in err.value.problems}
    assert {(2, "dispatched_at"), (3, "dispatched_at"), (4, "channel"), (4, "due_on"), (5, "concluded_at")} <= where
    assert Ticket.objects.count() == 0


def test_a_unit_outside_the_hotline_s_tree_is_refused(tmp_path, county, other_county):
    content = (
        "ref,channel,kind,created_at,unit,dispatched_at\n"
        f"T-9,phone,complaint,2026-10-09 10:00,{other_county['dept'].code},2026-10-09 11:00\n"
    )
    with pytest.raises(LedgerInvalid) as err:
        _import(tmp_path, county, content.encode())
    assert err.value.problems[0].column == "unit"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_reads_back_unchanged(tmp_path, county, fmt):
    _import(tmp_path, county, _csv(county).encode())

    data = ledger_export(actor=None, kind_name="tickets", org=county["gov"], fmt=fmt)
    result = _import(tmp_path, county, data, name=f"export.{fmt}")

    assert result.as_dict() == {"created": 0, "updated": 0, "unchanged": 3}
    assert AuditEvent.objects.filter(action="export.personal_data", object_type="ledger.tickets").count() == 1
    if fmt == "csv":
        assert data.decode("utf-8-sig").splitlines()[0].startswith("ref[编号],channel[来源渠道]")


def test_an_xlsx_ledger_imports(tmp_path, county):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["编号", "来源渠道", "诉求类型", "受理时间"])
    sheet.append(["X-1", "app", "suggestion", dt.datetime(2026, 10, 5, 9, 30)])
    path = tmp_path / "t.xlsx"
    book.save(path)

    ledger_import(actor=None, kind_name="tickets", path=path, org=county["gov"])

    assert Ticket.objects.get(ref="X-1").created_at == dt.datetime(2026, 10, 5, 9, 30, tzinfo=SHANGHAI)


def test_operators_cannot_import_the_ledger(tmp_path, county):
    operator = make_staff(org=county["gov"], role=Role.HOTLINE_OPERATOR)
    path = tmp_path / "t.csv"
    path.write_text(_csv(county))
    with pytest.raises(PermissionDenied):
        ledger_import(actor=operator, kind_name="tickets", path=path, org=county["gov"])
