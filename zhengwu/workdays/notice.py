"""Reading a State Council holiday notice from its small YAML file (docs/workdays.md); errors name file and line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from zhengwu.core.errors import InvalidInput
from zhengwu.workdays import index as ix

# A New Year holiday may begin in the last days of the previous year (the 2018 notice: 30 Dec 2017 – 1 Jan 2018).
SPILL_DAYS = 31
MAX_PERIOD_DAYS = 15


@dataclass(frozen=True)
class Notice:
    year: int
    notice: str
    holidays: tuple[tuple[dt.date, str], ...]
    makeup_workdays: tuple[tuple[dt.date, str], ...]
    document_no: str = ""
    published_on: dt.date | None = None


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, node: yaml.Node | None, message: str) -> InvalidInput:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        return InvalidInput(f"{self.source}{line}: {message}", detail={"file": [f"{self.source}{line}"]})

    def mapping(self, node: yaml.Node, allowed: set[str], required: set[str]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, _("这里应是“键: 值”的映射。"))
        out: dict[str, yaml.Node] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else ""
            if name not in allowed:
                raise self.fail(
                    key,
                    _("未知的键“%(key)s”，可用：%(allowed)s") % {"key": name, "allowed": "、".join(sorted(allowed))},
                )
            if name in out:
                raise self.fail(key, _("键“%(key)s”重复。") % {"key": name})
            out[name] = value
        missing = sorted(required - out.keys())
        if missing:
            raise self.fail(node, _("缺少键：%(keys)s") % {"keys": "、".join(missing)})
        return out

    def text(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            raise self.fail(node, _("%(what)s应是非空文字。") % {"what": what})
        return str(node.value).strip()

    def date(self, node: yaml.Node, what: str) -> dt.date:
        if isinstance(node, yaml.ScalarNode):
            try:
                return dt.date.fromisoformat(str(node.value).strip())
            except ValueError:
                pass
        raise self.fail(
            node,
            _("“%(what)s”不是有效日期（应为 YYYY-MM-DD）：%(value)s")
            % {"what": what, "value": getattr(node, "value", "")},
        )

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, _("%(what)s应是列表（每项以“- ”开头）。") % {"what": what})
        return list(node.value)


def parse_notice(text: str, *, source: str = "<notice>") -> Notice:
    """Parse and check a notice file's text; any problem is InvalidInput naming `source` and the line."""
    reader = _Reader(source)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = f":{exc.problem_mark.line + 1}" if exc.problem_mark is not None else ""
        raise InvalidInput(
            f"{source}{line}: " + _("YAML 格式错误：%(problem)s") % {"problem": exc.problem}, detail={"file": [source]}
        ) from exc
    if root is None:
        raise reader.fail(None, _("文件是空的。"))
    top = reader.mapping(
        root,
        {"year", "notice", "document_no", "published_on", "holidays", "makeup_workdays"},
        {"year", "notice", "holidays"},
    )
    year_text = reader.text(top["year"], _("年份"))
    if not year_text.isdigit() or not ix.FIRST_DAY.year <= int(year_text) <= ix.LAST_DAY.year:
        raise reader.fail(
            top["year"],
            _("年份应在 %(first)s 至 %(last)s 之间：%(value)s")
            % {"first": ix.FIRST_DAY.year, "last": ix.LAST_DAY.year, "value": year_text},
        )
    year = int(year_text)
    lo = max(dt.date(year, 1, 1) - dt.timedelta(days=SPILL_DAYS), ix.FIRST_DAY)
    hi = min(dt.date(year, 12, 31) + dt.timedelta(days=SPILL_DAYS), ix.LAST_DAY)
    seen: dict[dt.date, yaml.Node] = {}

    def in_year(day: dt.date, node: yaml.Node) -> dt.date:
        if not lo <= day <= hi:
            raise reader.fail(node, _("日期 %(day)s 不属于 %(year)s 年的安排。") % {"day": day, "year": year})
        if day in seen:
            raise reader.fail(
                node,
                _("日期 %(day)s 重复（第 %(line)s 行已出现）。") % {"day": day, "line": seen[day].start_mark.line + 1},
            )
        seen[day] = node
        return day

    holidays: list[tuple[dt.date, str]] = []
    for item in reader.sequence(top["holidays"], "holidays"):
        fields = reader.mapping(item, {"name", "from", "to"}, {"name", "from"})
        name = reader.text(fields["name"], _("节日名称"))
        first = reader.date(fields["from"], "from")
        last = reader.date(fields["to"], "to") if "to" in fields else first
        if last < first or (last - first).days >= MAX_PERIOD_DAYS:
            raise reader.fail(fields.get("to", item), _("放假区间 %(a)s 至 %(b)s 不合理。") % {"a": first, "b": last})
        for i in range((last - first).days + 1):
            holidays.append((in_year(first + dt.timedelta(days=i), fields["from"]), name))
    makeup: list[tuple[dt.date, str]] = []
    for item in reader.sequence(top["makeup_workdays"], "makeup_workdays") if "makeup_workdays" in top else []:
        fields = reader.mapping(item, {"name", "date"}, {"name", "date"})
        name = reader.text(fields["name"], _("节日名称"))
        day = reader.date(fields["date"], "date")
        if day.weekday() < 5:
            raise reader.fail(fields["date"], _("调休上班日 %(day)s 不是周六或周日。") % {"day": day})
        makeup.append((in_year(day, fields["date"]), name))
    published_on = reader.date(top["published_on"], "published_on") if "published_on" in top else None
    return Notice(
        year=year,
        notice=reader.text(top["notice"], _("通知名称")),
        document_no=reader.text(top["document_no"], _("文号")) if "document_no" in top else "",
        published_on=published_on,
        holidays=tuple(sorted(holidays)),
        makeup_workdays=tuple(sorted(makeup)),
    )


def read_notice_file(path: str | Path) -> Notice:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            _("无法读取文件 %(path)s：%(error)s") % {"path": path, "error": exc}, detail={"file": [str(path)]}
        ) from exc
    return parse_notice(text, source=str(path))
