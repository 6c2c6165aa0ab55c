"""Ledger files: UTF-8/BOM/GB18030 CSV and XLSX read alike; every bad cell is named by file, line and column; a file
with any bad row imports nothing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from zhengwu.core import ledger
from zhengwu.core.clock import SHANGHAI
from zhengwu.core.errors import PermissionDenied
from zhengwu.core.ledger import Column, ImportResult, LedgerInvalid, LedgerKind

IMPORTED: list[list[ledger.Row]] = []


def _importer(*, rows, org, actor):
    IMPORTED.append(rows)
    return ImportResult(created=len(rows))


def _check(row):
    if row["replied_on"] is not None and row["outcome"] is None:
        yield "outcome", "答复日期已填写时必须填写办理结果"


KIND = LedgerKind(
    name="test-requests",
    title="测试台账",
    columns=(
        Column("ref", "编号", ledger.text(40), required=True),
        Column("channel", "申请方式", ledger.choice({"in_person": "当面", "online": "网络"}), required=True),
        Column("received_on", "收到申请日期", ledger.date, required=True),
        Column("replied_on", "答复日期", ledger.date),
        Column("outcome", "办理结果", ledger.text(40)),
        Column("extension_workdays", "延期工作日", ledger.integer(0, 20)),
        Column("fee_yuan", "信息处理费", ledger.yuan),
        Column("submitted_at", "提交时间", ledger.instant),
        Column("online", "网上办理", ledger.flag),
    ),
    importer=_importer,
    check=_check,
)
ledger.register_kind(KIND)

GOOD = (
    "编号,申请方式,收到申请日期,答复日期,办理结果,延期工作日,信息处理费,提交时间,网上办理\n"
    "2025-001,当面,2025-09-28,2025-10-20,granted,0,,2025-09-28 09:15,0\n"
    "2025-002,online,2025-09-30,,,20,100.5,2025-09-30T10:00:00+08:00,1\n"
)


@pytest.fixture(autouse=True)
def _clear():
    IMPORTED.clear()


def test_utf8_bom_and_gb18030_read_the_same(tmp_path: Path):
    plain = ledger.read_ledger(KIND, tmp_path / "a.csv", GOOD.encode("utf-8"))
    bom = ledger.read_ledger(KIND, tmp_path / "a.csv", b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    gbk = ledger.read_ledger(KIND, tmp_path / "a.csv", GOOD.encode("gb18030"))
    assert plain == bom == gbk
    first, second = plain
    assert first.values["channel"] == "in_person" and second.values["channel"] == "online"
    assert first["received_on"] == dt.date(2025, 9, 28)
    assert first["submitted_at"] == dt.datetime(2025, 9, 28, 9, 15, tzinfo=SHANGHAI)
    assert second["submitted_at"].utcoffset() == dt.timedelta(hours=8)
    assert second["fee_yuan"] == Decimal("100.50")
    assert (first["online"], second["online"]) == (False, True)
    assert second["replied_on"] is None
    assert (first.line, second.line) == (2, 3)


def test_english_headers_in_any_order_are_accepted(tmp_path: Path):
    text = "received_on,ref,channel\n2025-01-02,A1,online\n"
    (row,) = ledger.read_ledger(KIND, tmp_path / "b.csv", text.encode())
    assert row["ref"] == "A1" and row["received_on"] == dt.date(2025, 1, 2)


def test_xlsx_first_sheet_with_real_dates(tmp_path: Path):
    book = Workbook()
    sheet = book.active
    sheet.append(["ref[编号]", "channel[申请方式]", "received_on[收到申请日期]", "extension_workdays[延期工作日]"])
    sheet.append(["X-1", "网络", dt.datetime(2026, 2, 16), 5])
    buf = io.BytesIO()
    book.save(buf)
    (row,) = ledger.read_ledger(KIND, tmp_path / "c.xlsx", buf.getvalue())
    assert row["received_on"] == dt.date(2026, 2, 16)
    assert row["extension_workdays"] == 5
    assert row["channel"] == "online"


def test_every_bad_cell_is_reported_with_line_and_column(tmp_path: Path):
    text = (
        "编号,申请方式,收到申请日期,答复日期,办理结果,延期工作日\n"
        "A1,当面,2025-02-30,,,\n"  # impossible date
        "A2,fax,2025-03-01,,,21\n"  # unknown channel, extension out of range
        ",online,2025-03-01,2025-03-05,,\n"  # no ref; replied without outcome
        "A1,online,2025-03-02,,,\n"  # duplicate ref
    )
    with pytest.raises(LedgerInvalid) as err:
        ledger.read_ledger(KIND, tmp_path / "bad.csv", text.encode())
    found = {(p.line, p.column.split(" ")[0]) for p in err.value.problems}
    assert found == {
        (2, "received_on"),
        (3, "channel"),
        (3, "extension_workdays"),
        (4, "ref"),
        (4, "outcome"),
        (5, "ref"),
    }
    message = err.value.message
    assert "bad.csv:2: received_on (C)" in message
    assert "bad.csv:3: channel (B)" in message and "fax" in message
    assert err.value.detail[0] == {
        "file": "bad.csv",
        "line": 2,
        "column": "received_on (C)",
        "message": err.value.problems[0].message,
    }


def test_unknown_and_missing_columns_are_named(tmp_path: Path):
    with pytest.raises(LedgerInvalid) as err:
        ledger.read_ledger(KIND, tmp_path / "h.csv", "编号,申请方式,备注\nA,online,x\n".encode())
    columns = {p.column for p in err.value.problems}
    assert "备注 (C)" in columns and "received_on" in columns


def test_other_file_types_and_empty_files_are_refused(tmp_path: Path):
    with pytest.raises(LedgerInvalid):
        ledger.read_ledger(KIND, tmp_path / "x.txt", b"ref\n1\n")
    with pytest.raises(LedgerInvalid):
        ledger.read_ledger(KIND, tmp_path / "x.csv", b"")


@pytest.mark.django_db
def test_import_with_one_bad_row_imports_nothing(tmp_path: Path, county):
    path = tmp_path / "mixed.csv"
    path.write_text(GOOD + "2025-003,当面,not-a-date,,,,,,\n", encoding="utf-8")
    with pytest.raises(LedgerInvalid):
        ledger.ledger_import(actor=None, kind_name=KIND.name, path=path, org=county["gov"])
    assert IMPORTED == []
    path.write_text(GOOD, encoding="utf-8")
    result = ledger.ledger_import(actor=None, kind_name=KIND.name, path=path, org=county["gov"])
    assert result.created == 2 and len(IMPORTED) == 1


@pytest.mark.django_db
def test_import_into_another_county_is_refused(tmp_path: Path, county, other_county):
    from zhengwu.orgs.models import Role
    from zhengwu.orgs.tests.factories import make_staff

    path = tmp_path / "ok.csv"
    path.write_text(GOOD, encoding="utf-8")
    admin = make_staff(org=county["gov"], role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        ledger.ledger_import(actor=admin, kind_name=KIND.name, path=path, org=other_county["gov"])
    assert IMPORTED == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-03-04 09:05", dt.datetime(2025, 3, 4, 9, 5, tzinfo=SHANGHAI)),
        ("2025-03-04T09:05:07", dt.datetime(2025, 3, 4, 9, 5, 7, tzinfo=SHANGHAI)),
        ("2025-03-04 09:05:07Z", dt.datetime(2025, 3, 4, 17, 5, 7, tzinfo=SHANGHAI)),
        ("2025-03-04 09:05+09:00", dt.datetime(2025, 3, 4, 8, 5, tzinfo=SHANGHAI)),
        # Shanghai kept daylight saving time in 1986–1991: a summer instant then was +09:00.
        ("1990-07-01 12:00", dt.datetime(1990, 7, 1, 3, 0, tzinfo=dt.UTC)),
    ],
)
def test_instants_are_shanghai_wall_time_unless_an_offset_is_given(raw: str, expected: dt.datetime):
    assert ledger.instant(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "2025-02-30 09:00",
        "2025-03-04 24:00",
        "2025-03-04 09:60",
        "2025-3-04 09:00",
        "２０２５-03-04 09:00",
        "2025-+3-04 09:00",
    ],
)
def test_impossible_or_malformed_instants_are_cell_errors(raw: str):
    with pytest.raises(ledger.CellError):
        ledger.instant(raw)


def test_a_repeated_instant_reads_the_same_each_time_and_a_bad_one_stays_bad():
    # Instants are kept by their text while a file is read: the second reading must give what the first gave.
    first = ledger.instant("2025-03-04 09:05")
    again = ledger.instant("2025-03-04 09:05")
    assert first == again == dt.datetime(2025, 3, 4, 9, 5, tzinfo=SHANGHAI)
    assert again.utcoffset() == dt.timedelta(hours=8)
    summer_1990 = ledger.instant("1990-07-01 12:00")
    assert ledger.instant("1990-07-01 12:00").utcoffset() == summer_1990.utcoffset() == dt.timedelta(hours=9)
    for _ in range(2):
        with pytest.raises(ledger.CellError, match="2025-02-30 09:00"):
            ledger.instant("2025-02-30 09:00")


def test_instants_stay_right_when_more_are_read_than_are_kept(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(ledger, "_INSTANTS_MAX", 3)
    raws = [f"2025-03-04 09:{minute:02d}" for minute in range(10)] * 2
    values = [ledger.instant(raw) for raw in raws]
    assert values == [dt.datetime(2025, 3, 4, 9, minute, tzinfo=SHANGHAI) for minute in range(10)] * 2
    assert len(ledger._INSTANTS) <= 3


MIXED = (
    "编号,申请方式,收到申请日期,答复日期,办理结果,延期工作日,信息处理费,提交时间,网上办理\n"
    "A1,当面,2025-09-28,,,0,,2025-09-28 09:15,0\n"
    "A2,fax,2025-02-30,,,21,1.555,2025-09-28 25:00,2\n"  # six bad cells, two of them required
    "A3,online,2025-09-28,,,,,,,x\n"  # a filled cell beyond the header
    ",online,,2025-10-01,,,,,\n"  # two required values missing, and the row check's problem
    "A5,online,2025-09-28,,,,,1991-12-31 23:59,1\n"  # good
    "A1,online,2025-09-28,,,3,-1,2025-09-28T09:15:00+09:00,1\n"  # a bad fee, and the key of line 2
)
MIXED_PROBLEMS = [
    (3, "channel (B)", "未知的取值“fax”，可选：in_person, online"),
    (3, "received_on (C)", "不是有效日期（YYYY-MM-DD）：2025-02-30"),
    (3, "extension_workdays (F)", "应在 0 到 20 之间：21"),
    (3, "fee_yuan (G)", "金额应为不超过两位小数的非负数：1.555"),
    (3, "submitted_at (H)", "不是有效时间：2025-09-28 25:00"),
    (3, "online (I)", "应为 0 或 1：2"),
    (4, "J", "该列没有列名"),
    (5, "ref", "不能为空"),
    (5, "received_on", "不能为空"),
    (5, "outcome", "答复日期已填写时必须填写办理结果"),
    (7, "fee_yuan (G)", "金额应为不超过两位小数的非负数：-1"),
    (7, "ref", "与第 2 行重复：A1"),
]


@pytest.mark.parametrize(
    "text",
    [
        MIXED,
        MIXED.replace("\n", "\r\n"),  # CRLF reads as LF
        MIXED.replace("A5,", '"A5",'),  # a quote: read by the csv module
        MIXED.replace("A5,", "A5 ,"),  # a padded cell: read by the csv module and stripped
    ],
)
def test_good_rows_among_bad_ones_leave_every_bad_cell_named_in_file_order(tmp_path: Path, text: str):
    with pytest.raises(LedgerInvalid) as err:
        ledger.read_ledger(KIND, tmp_path / "mixed.csv", text.encode())
    assert [(p.line, p.column, p.message) for p in err.value.problems] == MIXED_PROBLEMS


@pytest.mark.parametrize(
    "padded",
    [
        GOOD.replace(",当面,", ", 当面,"),  # after a comma
        GOOD.replace(",当面,", ",当面 ,"),  # before a comma
        GOOD.replace("\n2025-002", "\n  2025-002"),  # at the start of a line
        GOOD.replace(",1\n", ",1 \n"),  # at the end of a line
        GOOD[:-1] + " ",  # at the end of a file with no line end after its last line
        GOOD.replace(",当面,", ",\t当面\u3000,"),  # a tab, an ideographic space
        GOOD.replace("2025-002,", '" 2025-002",').replace("\n", " \r\n"),  # in quotes; before CRLF
    ],
)
def test_whitespace_around_cells_is_stripped_however_the_file_is_read(tmp_path: Path, padded: str):
    plain = ledger.read_ledger(KIND, tmp_path / "a.csv", GOOD.encode())
    assert ledger.read_ledger(KIND, tmp_path / "b.csv", padded.encode()) == plain


def test_an_unknown_column_is_named_without_its_padding(tmp_path: Path):
    with pytest.raises(LedgerInvalid) as err:
        ledger.read_ledger(KIND, tmp_path / "h.csv", " 备注,编号,申请方式,收到申请日期\nx,A,online,2025-01-02\n".encode())
    assert [p.column for p in err.value.problems] == ["备注 (A)"]


def test_cells_beyond_the_header_are_ignored_when_empty_and_named_when_filled(tmp_path: Path):
    header, first, second = GOOD.splitlines()
    text = f"{header},\n{first},,\n{second},  ,x\n"
    with pytest.raises(LedgerInvalid) as err:
        ledger.read_ledger(KIND, tmp_path / "wide.csv", text.encode())
    assert [(p.line, p.column, p.message) for p in err.value.problems] == [(3, "K", "该列没有列名")]
    text = f"{header},\n{first},,\n{second},  ,\n"
    assert ledger.read_ledger(KIND, tmp_path / "wide.csv", text.encode()) == ledger.read_ledger(
        KIND, tmp_path / "a.csv", GOOD.encode()
    )


def test_a_short_row_has_no_value_for_its_missing_cells(tmp_path: Path):
    (row,) = ledger.read_ledger(KIND, tmp_path / "short.csv", "编号,申请方式,收到申请日期,答复日期\nA1,网络,2025-01-02\n".encode())
    assert row.values == {"ref": "A1", "channel": "online", "received_on": dt.date(2025, 1, 2)}
    (row,) = ledger.read_ledger(KIND, tmp_path / "full.csv", "编号,申请方式,收到申请日期,答复日期\nA1,网络,2025-01-02,\n".encode())
    assert row.values == {"ref": "A1", "channel": "online", "received_on": dt.date(2025, 1, 2), "replied_on": None}


def test_line_numbers_count_the_lines_of_a_quoted_cell_and_skip_blank_rows(tmp_path: Path):
    text = '编号,申请方式,收到申请日期,办理结果\n\nA1,online,2025-01-02,"two\nlines"\n,,,\nA2,online,2025-01-03,x\n'
    first, second = ledger.read_ledger(KIND, tmp_path / "q.csv", text.encode())
    # The csv module's line number: a row's last line.
    assert (first.line, first["outcome"], second.line) == (4, "two\nlines", 6)
    plain = text.replace('"two\nlines"', "one line")
    first, second = ledger.read_ledger(KIND, tmp_path / "p.csv", plain.encode())
    assert (first.line, second.line) == (3, 5)


def test_instants_in_a_file_keep_their_zone_before_1992_and_their_offset(tmp_path: Path):
    text = (
        "编号,申请方式,收到申请日期,提交时间\n"
        "A1,online,2025-01-02,1990-07-01 12:00\n"
        "A2,online,2025-01-02,2025-01-02 09:00:05+09:00\n"
        "A3,online,2025-01-02,1990-07-01 12:00\n"
        "A4,online,2025-01-02,2025-01-02T09:00\n"
    )
    rows = ledger.read_ledger(KIND, tmp_path / "t.csv", text.encode())
    offsets = [row["submitted_at"].utcoffset() for row in rows]
    assert offsets == [dt.timedelta(hours=9), dt.timedelta(hours=9), dt.timedelta(hours=9), dt.timedelta(hours=8)]
    assert rows[0]["submitted_at"] == rows[2]["submitted_at"] == dt.datetime(1990, 7, 1, 3, 0, tzinfo=dt.UTC)
    assert rows[1]["submitted_at"] == dt.datetime(2025, 1, 2, 0, 0, 5, tzinfo=dt.UTC)
    assert ledger._INSTANTS == {}  # nothing of the file is kept after it is read


def test_a_cell_longer_than_the_csv_field_limit_is_refused_as_before(tmp_path: Path):
    import csv

    text = "编号,申请方式,收到申请日期,办理结果\nA1,online,2025-01-02," + "x" * (csv.field_size_limit() + 1) + "\n"
    with pytest.raises(LedgerInvalid) as err:
        ledger.read_ledger(KIND, tmp_path / "long.csv", text.encode())
    assert "field larger than field limit" in err.value.problems[0].message


def test_the_characters_that_send_a_file_to_the_csv_module_are_all_strippable_ones():
    import sys

    strippable = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert set(ledger._NOT_PLAIN) == (strippable - {" ", "\n"}) | {'"', "\0"}


@pytest.mark.parametrize("text", [GOOD, GOOD.replace("\n", "\r\n"), GOOD.replace("2025-001", '"2025-001"')])
def test_progress_ends_at_the_number_of_rows_in_the_file(tmp_path: Path, text: str):
    heard: list[tuple[str, int, int]] = []
    ledger.read_ledger(KIND, tmp_path / "p.csv", text.encode(), progress=lambda *told: heard.append(told))
    assert heard == [("read", 3, 3)]


def test_a_file_with_crlf_line_ends_is_split_without_the_csv_module():
    assert ledger._plain_lines(GOOD.replace("\n", "\r\n")) == ledger._plain_lines(GOOD) == GOOD.splitlines()
    assert ledger._plain_lines(GOOD.replace("\n", "\r")) is None  # a lone CR ends a line for the csv module only


def test_the_garbage_collector_is_left_as_it_was_after_a_read(tmp_path: Path):
    import gc

    assert gc.isenabled()
    ledger.read_ledger(KIND, tmp_path / "a.csv", GOOD.encode())
    assert gc.isenabled()
    with pytest.raises(LedgerInvalid):
        ledger.read_ledger(KIND, tmp_path / "m.csv", MIXED.encode())
    assert gc.isenabled()
    gc.disable()
    try:
        ledger.read_ledger(KIND, tmp_path / "a.csv", GOOD.encode())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_big_file_is_followed_by_one_collection_and_a_small_one_by_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import gc

    runs: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda *args: runs.append(1) or 0)
    ledger.read_ledger(KIND, tmp_path / "a.csv", GOOD.encode())
    assert runs == []
    monkeypatch.setattr(ledger, "COLLECT_AFTER", 3)
    ledger.read_ledger(KIND, tmp_path / "a.csv", GOOD.encode())
    assert runs == [1] and gc.isenabled()
