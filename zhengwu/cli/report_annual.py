"""`zhengwu report annual`: the annual report on government information disclosure (spec/annual-report.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from zhengwu.cli.common import BadInput, actor_of, emit_json
from zhengwu.cli.report import report_group


@report_group.command("annual")
@click.option("--org", "org_code", required=True, metavar="CODE", help="The reporting org.")
@click.option("--year", required=True, metavar="YYYY", help="The year reported on.")
@click.option("--scope", type=click.Choice(["self", "subtree"]), default="self", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["json", "html", "docx", "pdf"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to FILE.")
@click.option("--published", is_flag=True, help="The published (frozen) version instead of the live figures.")
@click.pass_context
def report_annual(
    ctx: click.Context, org_code: str, year: str, scope: str, fmt: str, output: Path | None, published: bool
) -> None:
    """Tables A, B and C with their checks and the drafted prose, as JSON, HTML, DOCX or PDF."""
    from zhengwu.core.errors import NotFound
    from zhengwu.reports.annual import render
    from zhengwu.reports.annual.selectors import annual_report_read, org_for_report
    from zhengwu.reports.models import AnnualReportVersion, VersionStatus

    if not year.isdigit():
        raise BadInput(f"--year: 不是年份：{year}")
    actor = actor_of(ctx)
    try:
        org = org_for_report(actor=actor, code=org_code)
    except NotFound:
        raise BadInput(f"--org: 没有这个机构：{org_code}") from None
    data = annual_report_read(actor=actor, org=org, year=int(year), scope=scope)
    if published:
        version = AnnualReportVersion.objects.filter(
            report__org=org, report__year=int(year), report__scope=scope, status=VersionStatus.PUBLISHED
        ).first()
        if version is None or version.data is None:
            raise BadInput("该年度报告尚未发布。")
        data = version.data
    if fmt == "json":
        if output is None:
            emit_json(data)
            return
        import json

        output.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return
    content: bytes
    if fmt == "html":
        content = render.render_html(data).encode()
    elif fmt == "docx":
        content = render.render_docx(data)
    else:
        content = render.render_pdf(data)
    if output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    else:
        output.write_bytes(content)
        click.echo(f"已写入 {output}", err=True)


def register(cli: click.Group) -> None:
    """The verb is attached to `report_group` on import; nothing more to add."""
