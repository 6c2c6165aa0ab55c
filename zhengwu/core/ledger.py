"""Ledger files (台账): reading CSV (UTF-8, with or without BOM, or GB18030) and XLSX into typed rows, reporting
every bad cell by file, line and column, and the registry of ledger kinds (spec/cli-and-ledgers.md).

A domain registers a `LedgerKind` with its columns and an importer; `ledger_import` reads and validates the
whole file first and calls the importer only when every row is good, inside one transaction — all or nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from operator import methodcaller
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.core import write_behind
from zhengwu.core.clock import SHANGHAI
from zhengwu.core.errors import InvalidInput
from zhengwu.orgs import policies

if TYPE_CHECKING:
    from zhengwu.orgs.models import Org, Staff


class CellError(ValueError):
    """A parser's complaint about one cell; the reader adds file, line and column."""


# --- Cell parsers: str -> value; "" never reaches them (empty means none) ------------------------------------
def text(max_length: int = 500) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if len(raw) > max_length:
            raise CellError(_("超过 %(n)s 个字符") % {"n": max_length})
        return raw

    return parse


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def date(raw: str) -> dt.date:
    if _DATE.fullmatch(raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise CellError(_("不是有效日期（YYYY-MM-DD）：%(v)s") % {"v": raw})


# `YYYY-MM-DD HH:MM[:SS]` without an offset: what ledgers hold (a million rows have three each).
_PLAIN_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?", re.ASCII)
# Instants read, by their text: a ledger repeats them (minute precision; a hall takes several cases a minute, and a
# case is often accepted in the minute another was submitted). A datetime is immutable, so rows may share one. Kept
# small (emptied when full, and after each read_ledger), so a worker holds no more than about 10 MB for it.
_INSTANTS: dict[str, dt.datetime] = {}
_INSTANTS_MAX = 1 << 16


def instant(raw: str) -> dt.datetime:
    """`YYYY-MM-DD HH:MM[:SS]` in Asia/Shanghai, or ISO 8601 with an offset."""
    value = _INSTANTS.get(raw)
    if value is None:
        value = _instant(raw)  # a bad cell raises: only good instants are kept
        if len(_INSTANTS) >= _INSTANTS_MAX:
            _INSTANTS.clear()
        _INSTANTS[raw] = value
    return value


def _instant(raw: str) -> dt.datetime:
    # Fast path for the plain form: one compiled regex instead of a dozen checks by position (ASCII digits only, as
    # those checks had: other digits take the slow path and its message), `fromisoformat` without string rewriting.
    if _PLAIN_INSTANT.fullmatch(raw):
        try:
            if raw[:4] >= "1992":  # China has kept +08:00 all year since 1992: the offset is the zone's
                return dt.datetime.fromisoformat(raw + "+08:00")
            return dt.datetime.fromisoformat(raw).replace(tzinfo=SHANGHAI)
        except ValueError as exc:
            raise CellError(_("不是有效时间：%(v)s") % {"v": raw}) from exc
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?", raw)
    if not m:
        raise CellError(_("不是有效时间（YYYY-MM-DD HH:MM[:SS]）：%(v)s") % {"v": raw})
    try:
        value = dt.datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError as exc:
        raise CellError(_("不是有效时间：%(v)s") % {"v": raw}) from exc
    return value if value.tzinfo is not None else value.replace(tzinfo=SHANGHAI)


_INTEGER = re.compile(r"-?\d+")


def integer(minimum: int | None = None, maximum: int | None = None) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        if not _INTEGER.fullmatch(raw):
            raise CellError(_("不是整数：%(v)s") % {"v": raw})
        value = int(raw)
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise CellError(_("应在 %(lo)s 到 %(hi)s 之间：%(v)s") % {"lo": minimum, "hi": maximum, "v": raw})
        return value

    return parse


def yuan(raw: str) -> Decimal:
    """An amount in yuan, at most two decimals, not negative."""
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise CellError(_("不是金额：%(v)s") % {"v": raw}) from exc
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")) or value > Decimal("1e9"):
        raise CellError(_("金额应为不超过两位小数的非负数：%(v)s") % {"v": raw})
    return value.quantize(Decimal("0.01"))


def flag(raw: str) -> bool:
    if raw not in {"0", "1"}:
        raise CellError(_("应为 0 或 1：%(v)s") % {"v": raw})
    return raw == "1"


def choice(values: Mapping[str, str]) -> Callable[[str], str]:
    """A code from `values` (code → Chinese label); the Chinese label is accepted too."""
    by_label = {label: code for code, label in values.items()}

    def parse(raw: str) -> str:
        if raw in values:
            return raw
        if raw in by_label:
            return by_label[raw]
        raise CellError(_("未知的取值“%(v)s”，可选：%(c)s") % {"v": raw, "c": ", ".join(values)})

    return parse


# --- Kinds ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    name: str
    zh: str
    parse: Callable[[str], Any]
    required: bool = False


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


RowCheck = Callable[[Row], Iterable[tuple[str, str]]]
Validator = Callable[..., Iterable[Problem]]
Importer = Callable[..., ImportResult]
Exporter = Callable[..., Iterable[Mapping[str, Any]]]


@dataclass(frozen=True)
class LedgerKind:
    """One ledger kind of the spec. `check` finds cross-column problems in a row; `validate(rows=, org=, actor=)`
    finds problems needing the database (unknown item codes …); `importer(rows=, org=, actor=)` writes."""

    name: str
    title: str
    columns: tuple[Column, ...]
    importer: Importer
    exporter: Exporter | None = None
    check: RowCheck | None = None
    validate: Validator | None = None
    key: str = "ref"
    permission: str = "orgs.manage"  # held for the org to import or export its ledger
    needs_org: bool = True
    personal_data: bool = False  # exports of it are audited as personal-data exports
    _by_header: dict[str, Column] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for col in self.columns:
            self._by_header[col.name] = col
            self._by_header[col.zh] = col
            self._by_header[f"{col.name}[{col.zh}]"] = col


_KINDS: dict[str, LedgerKind] = {}


def register_kind(kind: LedgerKind) -> LedgerKind:
    _KINDS[kind.name] = kind
    return kind


def kinds() -> dict[str, LedgerKind]:
    return dict(_KINDS)


def get_kind(name: str) -> LedgerKind:
    if name not in _KINDS:
        raise InvalidInput(
            _("未知的台账类型“%(k)s”，可选：%(c)s") % {"k": name, "c": ", ".join(sorted(_KINDS)) or "—"},
            detail={"kind": ["unknown"]},
        )
    return _KINDS[name]


class LedgerInvalid(InvalidInput):
    """A file with bad rows: nothing was imported. `problems` lists every one."""

    code = "ledger_invalid"

    def __init__(self, file_name: str, problems: Sequence[Problem]) -> None:
        self.file_name = file_name
        self.problems = list(problems)
        lines = [f"{file_name}:{p.line}: {p.column}: {p.message}" for p in self.problems[:200]]
        if len(self.problems) > 200:
            lines.append(_("……另有 %(n)s 处问题") % {"n": len(self.problems) - 200})
        super().__init__(
            _("%(f)s 有 %(n)s 处问题，未导入任何记录：\n") % {"f": file_name, "n": len(self.problems)}
            + "\n".join(lines),
            detail=[
                {"file": file_name, "line": p.line, "column": p.column, "message": p.message} for p in self.problems
            ],
        )


# --- Reading --------------------------------------------------------------------------------------------------
def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")  # what Chinese Excel writes


# Every character `str.strip` removes but the space and LF (the tests compare the list with `str.isspace`; CR is
# one, and the csv module also takes a lone CR for a line end), and the quote and NUL: a CSV text holding none of
# them reads the same through `line.split(",")` as through the csv module and `strip`, if no space pads a cell.
_NOT_PLAIN = (
    '"\0\r\t\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a'
    "\u2028\u2029\u202f\u205f\u3000"
)


def _plain_lines(text: str) -> list[str] | None:
    """The lines of a CSV text that splitting at commas reads into the very cells the csv module and `strip` give,
    or None when the text needs those: it has a quote, NUL, a lone CR, whitespace but spaces and line ends, a space
    beside a comma or a line end, or a line longer than the csv module's field limit. Files written by a program
    (our export among them) are usually plain, and splitting is twice as fast as the csv module and `strip`."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # the csv module reads CRLF as one line end
    if any(c in text for c in _NOT_PLAIN):
        return None
    if text.startswith(" ") or text.endswith(" ") or any(pair in text for pair in (" ,", ", ", " \n", "\n ")):
        return None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # a text ending with a line end has no line after it
    if lines and max(map(len, lines)) > csv.field_size_limit():
        return None  # the csv module refuses a cell that long: keep its message
    return lines


def _raw_rows(path: Path, data: bytes) -> tuple[int, Iterable[tuple[int, list[str]]]]:
    """How many rows the file has, and its rows as (line number, cells without surrounding whitespace). A plain CSV
    text's lines are split as the rows are taken; any other file is read whole here, so a broken one fails here."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = _decode(data)
        lines = _plain_lines(text)
        if lines is not None:
            return len(lines), enumerate(map(methodcaller("split", ","), lines), start=1)
        reader = csv.reader(io.StringIO(text, newline=""))
        rows = [(reader.line_num, [c.strip() for c in cells]) for cells in reader]
        return len(rows), rows
    if suffix == ".xlsx":
        rows = list(_xlsx_rows(data))
        return len(rows), rows
    raise LedgerInvalid(path.name, [Problem(0, "-", _("只接受 .csv 或 .xlsx 文件"))])


def _xlsx_rows(data: bytes) -> Iterable[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, [_xlsx_cell(c) for c in cells]
    book.close()


def _xlsx_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time() else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


Progress = Callable[[str, int, int], None]
"""Told what an import is doing: (phase, done, total) with phase "read" (rows checked of the file's lines) or
"write" (done = total = the rows being written, once, before the writing starts)."""

PROGRESS_EVERY = 10_000  # rows between two "read" reports
COLLECT_AFTER = 100_000  # rows in a file after which read_ledger runs the garbage collector once


def read_ledger(
    kind: LedgerKind, path: Path, data: bytes | None = None, *, progress: Progress | None = None
) -> list[Row]:
    """Every row of the file, typed; or LedgerInvalid naming every bad cell."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InvalidInput(
                _("无法读取文件 %(f)s：%(e)s") % {"f": path, "e": exc.strerror}, detail={"file": ["unreadable"]}
            ) from exc
    try:
        total, raw = _raw_rows(path, data)
    except UnicodeDecodeError:
        raise LedgerInvalid(path.name, [Problem(0, "-", _("文件编码无法识别（应为 UTF-8 或 GB18030）"))]) from None
    except (csv.Error, ValueError, KeyError, OSError) as exc:
        raise LedgerInvalid(path.name, [Problem(0, "-", _("无法解析文件：%(e)s") % {"e": exc})]) from None
    # A million rows leave a million objects alive (the Rows), and the cyclic garbage collector would walk them all
    # again each time they grew by a quarter: 3 of 14 s on the bench's file. Typing rows makes no cycles to collect,
    # so the collector is paused meanwhile (process-wide, hence only for this loop) and resumed after. After a big
    # file one full collection at once costs less than the collector's first passes over the new objects would
    # later, in the import (0.7 against 1.1 s after a million rows).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _typed_rows(kind, path.name, total, raw, progress)
    finally:
        _INSTANTS.clear()  # the instants of this file are of no use to the next
        if collecting:
            gc.enable()
            if total >= COLLECT_AFTER:
                gc.collect()


def _typed_rows(
    kind: LedgerKind,
    file_name: str,
    total: int,
    raw: Iterable[tuple[int, list[str]]],
    progress: Progress | None,
) -> list[Row]:
    """The rows under the header (the first row not empty), typed; or LedgerInvalid naming every problem in line
    order."""
    problems: list[Problem] = []
    rows: list[Row] = []
    keys: dict[Any, int] = {}  # key → the line it is first on
    header: list[Column | None] | None = None
    entries: list[tuple[str, Callable[[str], Any]] | None] = []
    names: list[str] = []
    parsers: list[Callable[[str], Any]] = []
    width = 0
    fast = False
    required = [col.name for col in kind.columns if col.required]
    check, key_name = kind.check, kind.key
    for position, (line, cells) in enumerate(raw, start=1):
        if progress is not None and position % PROGRESS_EVERY == 0:
            progress("read", position, total)
        if not any(cells):
            continue
        if header is None:
            header = _header(kind, file_name, line, cells)
            entries = [(col.name, col.parse) if col is not None else None for col in header]
            names = [col.name for col in header if col is not None]
            parsers = [col.parse for col in header if col is not None]
            width = len(header)
            fast = len(names) == width  # a column without a name takes every row the per-cell way
            continue
        # Most rows are good: they are parsed in one go, with no Problem bookkeeping. Any row where that fails (a
        # bad cell, a missing required value, more or fewer cells than the header) is parsed again cell by cell,
        # which names every problem.
        values: dict[str, Any] | None = None
        if fast and len(cells) == width:
            try:
                values = {
                    name: parse(cell) if cell else None for name, parse, cell in zip(names, parsers, cells, strict=True)
                }
            except CellError:
                values = None
            else:
                for name in required:
                    if values[name] is None:
                        values = None
                        break
        if values is None:
            values, found = _row_values(line, cells, entries, required)
            problems.extend(found)
        row = Row(line, values)
        if check is not None:
            for column, message in check(row):
                problems.append(Problem(line, column, message))
        rows.append(row)
        # A repeated key is the last problem of its row, as when the keys were compared after all rows.
        key = values.get(key_name)
        if key is not None:
            first = keys.setdefault(key, line)
            if first != line:
                problems.append(Problem(line, key_name, _("与第 %(l)s 行重复：%(k)s") % {"l": first, "k": key}))
    if header is None:
        problems.append(Problem(1, "-", _("文件是空的：没有表头")))
    if problems:
        raise LedgerInvalid(file_name, sorted(problems, key=lambda p: p.line))
    if progress is not None:
        progress("read", total, total)
    return rows


def _header(kind: LedgerKind, file_name: str, line: int, cells: list[str]) -> list[Column | None]:
    """The column of each cell of the header row (None for an empty cell); LedgerInvalid if a name is unknown or
    twice, or a required column is missing."""
    problems: list[Problem] = []
    header: list[Column | None] = []
    seen: set[str] = set()
    for index, cell in enumerate(cells, start=1):
        col = kind._by_header.get(cell.replace(" ", ""))
        if cell and col is None:
            problems.append(Problem(line, f"{cell} ({_col_letter(index)})", _("未知的列名")))
        elif col is not None and col.name in seen:
            problems.append(Problem(line, f"{cell} ({_col_letter(index)})", _("列名重复")))
        if col is not None:
            seen.add(col.name)
        header.append(col)
    for col in kind.columns:
        if col.required and col.name not in seen:
            problems.append(Problem(line, col.name, _("缺少必需的列（%(zh)s）") % {"zh": col.zh}))
    if problems:
        raise LedgerInvalid(file_name, problems)
    return header


def _row_values(
    line: int, cells: list[str], entries: list[tuple[str, Callable[[str], Any]] | None], required: list[str]
) -> tuple[dict[str, Any], list[Problem]]:
    """A row's values cell by cell (a bad cell left out), and a Problem for each bad cell, each filled cell
    without a column name and each required value missing."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for index, cell in enumerate(cells[: len(entries)]):
        entry = entries[index]
        if entry is None:
            if cell:
                problems.append(Problem(line, _col_letter(index + 1), _("该列没有列名")))
            continue
        name, parse = entry
        if cell == "":
            values[name] = None
            continue
        try:
            values[name] = parse(cell)
        except CellError as exc:
            problems.append(Problem(line, f"{name} ({_col_letter(index + 1)})", str(exc)))
    for index in range(len(entries), len(cells)):
        if cells[index]:
            problems.append(Problem(line, _col_letter(index + 1), _("该列没有列名")))
    for name in required:
        # A required cell that was bad is named once, as bad, not also as empty.
        if values.get(name) is None and not any(p.column.startswith(name + " ") for p in problems):
            problems.append(Problem(line, name, _("不能为空")))
    return values, problems


def _col_letter(index: int) -> str:
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def ledger_import(
    *,
    actor: Staff | None,
    kind_name: str,
    path: Path,
    org: Org | None,
    data: bytes | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read, validate and import a whole file in one transaction; any bad row imports nothing. `progress`, when
    given, hears how far the reading has come and when the writing starts (the CLI shows it)."""
    kind = get_kind(kind_name)
    if kind.needs_org and org is None:
        raise InvalidInput(
            _("导入“%(k)s”台账需要指定机构（--org）。") % {"k": kind.title}, detail={"org": ["required"]}
        )
    if org is not None:
        policies.require(actor, kind.permission, org)
    rows = read_ledger(kind, path, data, progress=progress)
    if progress is not None:
        progress("write", len(rows), len(rows))
    with transaction.atomic():
        if kind.validate is not None:
            problems = list(kind.validate(rows=rows, org=org, actor=actor))
            if problems:
                raise LedgerInvalid(path.name, sorted(problems, key=lambda p: p.line))
        return kind.importer(rows=rows, org=org, actor=actor)


# --- Writing --------------------------------------------------------------------------------------------------
def _cell_out(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def ledger_export(*, actor: Staff | None, kind_name: str, org: Org, fmt: str) -> bytes:
    """The org's records as a ledger file the import reads back unchanged (CSV in UTF-8 with BOM, or XLSX)."""
    from zhengwu.core.audit import record_event

    kind = get_kind(kind_name)
    policies.require(actor, kind.permission, org)
    if kind.exporter is None:
        raise InvalidInput(_("“%(k)s”台账不支持导出。") % {"k": kind.title}, detail={"kind": ["no_export"]})
    if fmt not in {"csv", "xlsx"}:
        raise InvalidInput(_("格式应为 csv 或 xlsx"), detail={"format": ["unknown"]})
    names = [c.name for c in kind.columns]
    records = [[_cell_out(r.get(n)) for n in names] for r in kind.exporter(org=org, actor=actor)]
    if kind.personal_data:
        record_event(
            actor=actor,
            action="export.personal_data",
            object_type=f"ledger.{kind.name}",
            object_id=org.code,
            org=org,
            new={"format": fmt, "rows": len(records)},
        )
    header = [f"{c.name}[{c.zh}]" for c in kind.columns]
    if fmt == "csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(records)
        return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(kind.title[:31])
    sheet.append(header)
    for record in records:
        sheet.append([str(v) if isinstance(v, Decimal) else v for v in record])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Importing records keyed by ref ---------------------------------------------------------------------------
_PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "EmailField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)


def bulk_insert(model: type[Any], rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert `rows` (attname → value; missing fields get their defaults, `auto_now[_add]` fields the time now) and
    return their new primary keys in the order of `rows`. What `bulk_create` writes, without a model instance or a
    compiled statement per row: `COPY` on PostgreSQL (ids reserved from the sequence first, so they rise in list
    order), one prepared `INSERT` run with `executemany` on SQLite. Call it inside the caller's transaction."""
    from django.db import connections, router
    from django.utils import timezone

    if not rows:
        return []
    conn = connections[router.db_for_write(model)]
    meta = model._meta
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if f is not pk]
    now = timezone.now()
    postgres = conn.vendor == "postgresql"
    keys = rows[0].keys()
    # Each field is read from the rows one of four ways, and the columns are written in that order (COPY and
    # INSERT name them): by key as given (`plain`), by key and converted (`converted`), the same value for every row
    # (`fixed`: a field no row names, with a constant default, or `auto_now[_add]`), or through a per-row getter
    # (`general`: a callable default, a field given by name or as a model instance, and every field when the rows
    # do not all have the same keys). The first three need no call per field and row.
    plain: list[Any] = []
    converted: list[tuple[Any, Callable[[Any], Any]]] = []
    fixed: list[tuple[Any, Any]] = []
    general: list[tuple[Any, Callable[[Mapping[str, Any]], Any]]] = []
    uniform = all(row.keys() == keys for row in rows)
    for f in fields:
        fallback, convert = _fallback_and_convert(f, conn, now, postgres)
        if not uniform or (f.name in keys and f.attname not in keys):
            general.append((f, _getter(f.attname, f.name, fallback, convert)))
        elif f.attname in keys:
            if convert is None:
                plain.append(f)
            else:
                converted.append((f, convert))
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            fixed.append((f, now if convert is None else convert(now)))
        elif f.has_default() and callable(f.default):
            general.append((f, _getter(f.attname, f.name, fallback, convert)))
        else:
            default = f.get_default()
            fixed.append((f, default if convert is None or default is None else convert(default)))
    table = conn.ops.quote_name(meta.db_table)
    behind = write_behind.active(conn) if postgres else None
    if behind is not None:
        # Keys now, from the side connection; the rows are written behind the caller (zhengwu.core.write_behind),
        # each as its key, the values that vary, and the constants (formatted once for all rows).
        ids = behind.reserve_keys(meta.db_table, pk.column, len(rows))
        varying = [*plain, *(f for f, _c in converted), *(f for f, _g in general)]
        columns = ", ".join(conn.ops.quote_name(f.column) for f in [pk, *varying, *(f for f, _v in fixed)])
        behind.copy_rows(
            f"COPY {table} ({columns}) FROM STDIN",
            _tuples(rows, plain, converted, [], general),
            keys=ids,
            constants=tuple(v for _f, v in fixed),
        )
        return ids
    ordered = [*plain, *(f for f, _c in converted), *(f for f, _v in fixed), *(f for f, _g in general)]
    names = [conn.ops.quote_name(f.column) for f in ordered]
    tuples = _tuples(rows, plain, converted, fixed, general)
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, pk.column])
            sequence = cur.fetchone()[0]
            cur.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, len(tuples)])
            ids = sorted(r[0] for r in cur.fetchall())
            columns = ", ".join([conn.ops.quote_name(pk.column), *names])
            # Django wraps `execute` only: a refused COPY is raised as Django's error too (IntegrityError …).
            with conn.wrap_database_errors, cur.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for new_id, values in zip(ids, tuples, strict=True):
                    copy.write_row((new_id, *values))
            return ids
        quoted_pk = conn.ops.quote_name(pk.column)
        cur.execute(f"SELECT COALESCE(MAX({quoted_pk}), 0) FROM {table}")  # noqa: S608 (names from the model)
        before = cur.fetchone()[0]
        marks = ", ".join(["%s"] * len(names))
        cur.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", tuples)  # noqa: S608
        # AUTOINCREMENT: new keys are above any key ever used, and rise in insertion order.
        cur.execute(f"SELECT {quoted_pk} FROM {table} WHERE {quoted_pk} > %s ORDER BY {quoted_pk}", [before])  # noqa: S608
        ids = [r[0] for r in cur.fetchall()]
    if len(ids) != len(tuples):
        raise RuntimeError(f"bulk_insert into {meta.db_table}: {len(ids)} keys for {len(tuples)} rows")
    return ids


_PG_PLAIN_TYPES = frozenset({"DateField", "DateTimeField", "FloatField"})  # psycopg writes these as they are


def _fallback_and_convert(
    f: Any, conn: Any, now: Any, postgres: bool
) -> tuple[Callable[[], Any], Callable[[Any], Any] | None]:
    internal = f.get_internal_type()
    convert: Callable[[Any], Any] | None
    if internal in _PLAIN_TYPES or (internal in _PG_PLAIN_TYPES and postgres):
        convert = None
    elif internal == "DateField" and not postgres:
        convert = _iso_date
    elif internal == "JSONField":
        convert = _json_text(f.encoder) if postgres else _json_prep(f, conn)
    elif internal == "DecimalField" and postgres:
        convert = _decimal(f, conn)  # psycopg writes a Decimal as is
    else:
        convert = _prep_save(f, conn)
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        return _constant(now), convert
    if f.has_default() and callable(f.default):
        return f.default, convert
    return _constant(f.get_default()), convert


def _tuples(
    rows: Sequence[Mapping[str, Any]],
    plain: list[Any],
    converted: list[tuple[Any, Callable[[Any], Any]]],
    fixed: list[tuple[Any, Any]],
    general: list[tuple[Any, Callable[[Mapping[str, Any]], Any]]],
) -> list[tuple[Any, ...]]:
    """The rows' values in the column order plain, converted, fixed, general."""
    from operator import itemgetter

    tail = tuple(v for _f, v in fixed)
    if len(plain) > 1:
        pick = itemgetter(*(f.attname for f in plain))
        out = [pick(row) for row in rows]
    elif plain:
        name = plain[0].attname
        out = [(row[name],) for row in rows]
    else:
        out = [() for _row in rows]
    if converted:
        pairs = [(f.attname, c) for f, c in converted]
        out = [head + tuple([c(row[a]) for a, c in pairs]) for head, row in zip(out, rows, strict=True)]
    if tail:
        out = [head + tail for head in out]
    if general:
        getters = [g for _f, g in general]
        out = [head + tuple([g(row) for g in getters]) for head, row in zip(out, rows, strict=True)]
    return out


class JsonText(str):
    """A JSON field's value already written as JSON text (the audit chain's hash encodes it anyway):
    `bulk_insert` stores the text as it is instead of encoding the value again."""

    __slots__ = ()


def _json_text(encoder: Any) -> Callable[[Any], Any]:
    """What Django's JSONField sends PostgreSQL (`json.dumps` with the field's encoder), as the text COPY writes."""
    import json

    dumps = (encoder or json.JSONEncoder)().encode  # one encoder, not one per value

    def convert(value: Any) -> Any:
        if value is None:
            return None
        return str(value) if type(value) is JsonText else dumps(value)

    return convert


def _json_prep(f: Any, conn: Any) -> Callable[[Any], Any]:
    """JSON on SQLite: Django's own preparation, except for text written already (`JsonText`)."""

    def convert(value: Any) -> Any:
        if value is None:
            return None
        return str(value) if type(value) is JsonText else f.get_db_prep_save(value, conn)

    return convert


def _decimal(f: Any, conn: Any) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        return value if value is None or type(value) is Decimal else f.get_db_prep_save(value, conn)

    return convert


def _iso_date(value: Any) -> Any:
    return None if value is None else value.isoformat()  # what Django's SQLite backend stores for a date


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def _prep_save(f: Any, conn: Any) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        return None if value is None else f.get_db_prep_save(value, conn)

    return convert


def _getter(
    attname: str, name: str, fallback: Callable[[], Any], convert: Callable[[Any], Any] | None
) -> Callable[[Mapping[str, Any]], Any]:
    missing = object()

    def get(row: Mapping[str, Any]) -> Any:
        value = row.get(attname, missing)
        if value is missing:
            value = row.get(name, missing)
            if value is missing:
                value = fallback()
            elif hasattr(value, "_meta"):
                value = value.pk
        return value if convert is None else convert(value)

    return get


def _same_float(a: Any, b: Any) -> bool:
    """Two computed floats (working time in workdays) that differ only in their last bits: SQL and numpy compute
    the same value in a different order, and a re-import must not record a change of a billionth of a workday."""
    return isinstance(a, float) and isinstance(b, float) and abs(a - b) <= 1e-6


def sync_by_ref(
    *,
    model: type[Any],
    org: Org,
    actor: Staff | None,
    records: Mapping[str, Mapping[str, Any]],
    action_prefix: str = "ledger",
    batch_size: int = 2000,
    known_ids: Mapping[str, int] | None = None,
    prepare_new: Callable[[list[dict[str, Any]]], None] | None = None,
    ids_out: dict[str, int] | None = None,
) -> ImportResult:
    """Create or update `model` rows keyed by (org, ref) from `records` (ref → field values), in bulk.

    Unchanged rows are left alone, so importing the same file twice changes nothing; created and changed rows get
    one audit event each (old → new for the fields that changed), all chained under one lock. New rows go in
    through `bulk_insert`; rows that exist are compared on their stored values, and only the changed ones are loaded
    as objects and updated.

    `known_ids` (ref → id of the org's rows among `records`, when the caller has read them already) saves reading
    the org's refs; `prepare_new` gets the rows about to be created and may add fields only new rows get (a query
    code, say); `ids_out` receives ref → id of every record, created or not.
    """
    from zhengwu.core.audit import EventSpec, append_events

    result = ImportResult()
    label = model._meta.label_lower
    manager = model._default_manager
    if known_ids is None:
        ids = dict(manager.filter(org=org).values_list("ref", "id"))
    else:
        ids = {ref: known_ids[ref] for ref in records if ref in known_ids}
    names = sorted({f for values in records.values() for f in values})
    overlap = [ref for ref in records if ref in ids]
    current: dict[str, tuple[Any, ...]] = {}
    # Only the rows of the file's refs are read (by primary key, in chunks): an org's other rows are not needed.
    from django.db import connection

    step = min(10_000, (connection.features.max_query_params or 10_000) - 1)
    for start in range(0, len(overlap), step):
        chunk = [ids[ref] for ref in overlap[start : start + step]]
        current.update((row[0], row[1:]) for row in manager.filter(pk__in=chunk).values_list("ref", *names))
    to_create: list[dict[str, Any]] = []
    create_refs: list[str] = []
    changes: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
    org_pk = org.pk
    for ref, values in records.items():
        stored = current.get(ref)
        if ref not in ids or stored is None:
            to_create.append({"org_id": org_pk, "ref": ref, **values})
            create_refs.append(ref)
            continue
        before = dict(zip(names, stored, strict=True))
        old = {f: before[f] for f, v in values.items() if before[f] != v and not _same_float(before[f], v)}
        if not old:
            result.unchanged += 1
            continue
        changes[ids[ref]] = (old, {f: values[f] for f in old})
    events: list[EventSpec] = []
    if prepare_new is not None and to_create:
        prepare_new(to_create)
    # No savepoint of its own (a failed import rolls back whole), and a SAVEPOINT would wait for a write-behind.
    with transaction.atomic(savepoint=False):
        created = bulk_insert(model, to_create)
        to_update: list[Any] = []
        if changes:
            changed_fields: set[str] = set()
            loaded = manager.in_bulk(list(changes))
            for pk, (_old, new) in changes.items():
                obj = loaded[pk]
                for f, v in new.items():
                    setattr(obj, f, v)
                changed_fields.update(new)
                to_update.append(obj)
            manager.bulk_update(to_update, sorted(changed_fields), batch_size=batch_size)
        for pk, ref in zip(created, create_refs, strict=True):
            events.append(
                EventSpec(action=f"{action_prefix}.create", object_type=label, object_id=pk, org=org, new={"ref": ref})
            )
        for obj in to_update:
            old, new = changes[obj.pk]
            events.append(
                EventSpec(
                    action=f"{action_prefix}.update", object_type=label, object_id=obj.pk, org=org, old=old, new=new
                )
            )
        append_events(actor=actor, events=events)
    result.created, result.updated = len(created), len(to_update)
    if ids_out is not None:
        ids_out.update((ref, ids[ref]) for ref in records if ref in ids)
        ids_out.update(zip(create_refs, created, strict=True))
    return result
