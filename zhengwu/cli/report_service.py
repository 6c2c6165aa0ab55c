"""`zhengwu report service` and `zhengwu report service-bulletin`: the service statistics (spec/service-metrics.md)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from zhengwu.cli.common import BadInput, actor_of
from zhengwu.cli.report import report_group


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"{option} 应为 YYYY-MM-DD：{value}") from None


@report_group.command("service")
@click.option("--org", "org_code", required=True, metavar="CODE", help="The org's code.")
@click.option("--from", "date_from", required=True, metavar="YYYY-MM-DD", help="First day (Asia/Shanghai), inclusive.")
@click.option("--to", "date_to", required=True, metavar="YYYY-MM-DD", help="Last day, inclusive.")
@click.option("--scope", type=click.Choice(["self", "subtree"]), default="self", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["json", "xlsx", "html"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (default: standard output).")
@click.pass_context
def report_service(
    ctx: click.Context, org_code: str, date_from: str, date_to: str, scope: str, fmt: str, output: str | None
) -> None:
    """Service-hall and hotline metrics of an org for a period (办件、事项、三级平台、12345)."""
    from zhengwu.reports.service.exports import report_html, report_json, report_xlsx
    from zhengwu.reports.service.metrics import compute_service_metrics
    from zhengwu.reports.service.policies import org_for_report

    first, last = _date(date_from, "--from"), _date(date_to, "--to")
    if last < first:
        raise BadInput("--to 早于 --from。")
    org = org_for_report(actor_of(ctx), org_code, scope)
    report = compute_service_metrics(org=org, date_from=first, date_to=last, scope=scope)
    if fmt == "xlsx":
        data = report_xlsx(report)
        if output:
            Path(output).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
        return
    text: str = report_json(report) if fmt == "json" else report_html(report)
    if output:
        Path(output).write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)


@report_group.command("service-bulletin")
@click.option("--org", "org_code", required=True, metavar="CODE", help="The org's code (its subtree is reported).")
@click.option("--month", required=True, metavar="YYYY-MM")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The .docx to write.")
@click.pass_context
def report_service_bulletin(ctx: click.Context, org_code: str, month: str, output: str) -> None:
    """Write the month's service bulletin (政务服务月通报) as DOCX: figures, rankings, model windows."""
    from zhengwu.reports.service.bulletin import bulletin_docx
    from zhengwu.reports.service.policies import org_for_report

    first = _date(f"{month}-01", "--month")
    org = org_for_report(actor_of(ctx), org_code, "subtree")
    data = bulletin_docx(org=org, month=first)
    Path(output).write_bytes(data)
    click.echo(f"已写入 {output}（{len(data)} 字节）", err=True)


def register(cli: click.Group) -> None:
    """The verbs attach to `report_group`, which `zhengwu.cli.report` adds to the CLI."""
