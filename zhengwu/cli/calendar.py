"""`zhengwu calendar …`: due dates, workday counts, and the holiday table (spec/workdays.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from zhengwu.cli.common import BadInput, actor_of, emit_json


class DateType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            label = param.human_readable_name if param is not None else "date"
            raise BadInput(f"{label}: 不是有效日期（应为 YYYY-MM-DD）：{value}") from None


DATE = DateType()


def _division_code(org_code: str | None) -> str:
    if not org_code:
        return ""
    from zhengwu.orgs.models import Org
    from zhengwu.workdays.selectors import division_code_of

    org = Org.objects.select_related("division").filter(code=org_code).first()
    if org is None:
        raise BadInput(f"--org: 没有这个机构：{org_code}")
    return division_code_of(org)


@click.group("calendar")
def calendar_group() -> None:
    """工作日与时限：due dates, workday counts, holiday notices."""


ORG_OPTION = click.option(
    "--org", "org_code", default=None, metavar="CODE", help="Count with this org's local days off (its division)."
)


# ignore_unknown_options: "-3" reaches the argument (and Clock's clear refusal) instead of click's "no such option".
@calendar_group.command("due", context_settings={"ignore_unknown_options": True})
@click.argument("start", type=DATE)
@click.argument("n", type=int)
@click.option("--calendar-days", is_flag=True, help="N is in calendar days (日), not workdays (工作日).")
@click.option("--explain", is_flag=True, help="Also list the skipped rest days and counted make-up days.")
@ORG_OPTION
def calendar_due(start: dt.date, n: int, calendar_days: bool, explain: bool, org_code: str | None) -> None:
    """Print the due date of an N-workday limit from event day START (START itself never counts).

    Prints YYYY-MM-DD, followed by " provisional" when the date depends on a year whose notice is not loaded.
    """
    from zhengwu.workdays import Clock

    clock = Clock(start=start, limit=n, calendar_days=calendar_days, division_code=_division_code(org_code))
    due = clock.due_on
    click.echo(due.isoformat() + (" provisional" if clock.provisional else ""))
    if explain:
        for line in clock.explain().lines():
            click.echo(line)


@calendar_group.command("between")
@click.argument("a", type=DATE)
@click.argument("b", type=DATE)
@ORG_OPTION
def calendar_between(a: dt.date, b: dt.date, org_code: str | None) -> None:
    """Print the number of workdays in (A, B]: after A, up to and including B."""
    from zhengwu.workdays import workdays_between

    click.echo(str(workdays_between(a, b, division_code=_division_code(org_code))))


@calendar_group.command("load")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_context
def calendar_load_cmd(ctx: click.Context, file: str) -> None:
    """Load a year's State Council holiday notice from FILE (YAML, see docs/workdays.md).

    Replaces that year's days; stored due dates counted across the year are recomputed. Prints a summary as JSON.
    """
    from zhengwu.workdays.notice import read_notice_file
    from zhengwu.workdays.services import calendar_load

    notice = read_notice_file(file)
    year = calendar_load(actor=actor_of(ctx), notice=notice)
    emit_json(
        {
            "year": year.year,
            "notice": year.notice,
            "holidays": len(notice.holidays),
            "makeup_workdays": len(notice.makeup_workdays),
        }
    )
    click.echo(f"已载入 {year.year} 年节假日安排：{year.notice}", err=True)


def _spans(days: tuple[tuple[dt.date, str], ...]) -> list[tuple[dt.date, dt.date, str]]:
    spans: list[tuple[dt.date, dt.date, str]] = []
    for day, name in days:
        if spans and spans[-1][2] == name and spans[-1][1] == day - dt.timedelta(days=1):
            spans[-1] = (spans[-1][0], day, name)
        else:
            spans.append((day, day, name))
    return spans


@calendar_group.command("show")
@click.argument("year", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def calendar_show(year: int, as_json: bool) -> None:
    """Print YEAR's holidays and make-up workdays (for a provisional year: the statutory days)."""
    from zhengwu.workdays.selectors import calendar_year_show

    cal = calendar_year_show(year=year)
    if as_json:
        emit_json(
            {
                "year": cal.year,
                "provisional": cal.provisional,
                "notice": cal.notice,
                "document_no": cal.document_no,
                "holidays": [{"date": d, "name": n} for d, n in cal.holidays],
                "makeup_workdays": [{"date": d, "name": n} for d, n in cal.makeup_workdays],
                "local_days_off": [{"date": d, "division_code": c, "name": n} for d, c, n in cal.local_days_off],
            }
        )
        return
    title = cal.notice or f"{year} 年节假日安排尚未载入（暂定：仅法定节日，调休未知）"
    click.echo(f"{year} {'provisional ' if cal.provisional else ''}{title}")
    for first, last, name in _spans(cal.holidays):
        span = first.isoformat() if first == last else f"{first.isoformat()} 至 {last.isoformat()}"
        click.echo(f"放假 {span} {name}")
    for day, name in cal.makeup_workdays:
        click.echo(f"调休上班 {day.isoformat()} {name}")
    for day, code, name in cal.local_days_off:
        click.echo(f"地方放假 {day.isoformat()} {name}（区划 {code}）")


def register(cli: click.Group) -> None:
    cli.add_command(calendar_group)
