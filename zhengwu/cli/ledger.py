"""`zhengwu import KIND FILE` and `zhengwu export KIND`: ledger files in and out (spec/cli-and-ledgers.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from zhengwu.cli.common import BadInput, actor_of, emit_json
from zhengwu.core.ledger import get_kind, kinds, ledger_export, ledger_import
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org


def _org(ctx: click.Context, code: str | None, permission: str) -> Org | None:
    if code is None:
        return None
    org = Org.objects.filter(code=code).first()
    actor = actor_of(ctx)
    if org is None or not policies.can(actor, permission, org):
        raise BadInput(f"--org: 没有可操作的机构：{code}")
    return org


@click.command("import")
@click.argument("kind")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--org", "org_code", default=None, metavar="CODE", help="The org whose ledger this is.")
@click.pass_context
def import_cmd(ctx: click.Context, kind: str, file: Path, org_code: str | None) -> None:
    """Import a ledger file (CSV in UTF-8 or GB18030, or XLSX): all rows or none. Prints counts as JSON."""
    ledger_kind = get_kind(kind)
    if not file.exists():
        raise BadInput(f"文件不存在：{file}")
    org = _org(ctx, org_code, "orgs.view")
    with _ImportProgress(file.name) as progress:
        result = ledger_import(actor=actor_of(ctx), kind_name=ledger_kind.name, path=file, org=org, progress=progress)
    emit_json({"kind": ledger_kind.name, "file": str(file), **result.as_dict()})


class _ImportProgress:
    """How far an import has come, on standard error (the counts stay alone on standard output): a bar that
    moves on a terminal; in a log, one line when the file has been checked and one when the writing starts."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.bar: tqdm[Any] | None = None

    def __enter__(self) -> _ImportProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()

    def __call__(self, phase: str, done: int, total: int) -> None:
        tty = sys.stderr.isatty()
        if phase == "read":
            if tty:
                if self.bar is None:
                    self.bar = tqdm(total=total, desc=f"{self.name} 读取校验", unit="行", file=sys.stderr)
                self.bar.update(done - self.bar.n)
            elif done == total:
                click.echo(f"{self.name}：已读取并校验 {total} 行", err=True)
        elif phase == "write":
            if self.bar is not None:
                self.bar.close()
                self.bar = None
            click.echo(f"{self.name}：正在写入 {total} 行（全部成功或全部不写入）…", err=True)


@click.command("export")
@click.argument("kind")
@click.option("--org", "org_code", required=True, metavar="CODE")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write here instead of standard output.",
)
@click.pass_context
def export_cmd(ctx: click.Context, kind: str, org_code: str, fmt: str, output: Path | None) -> None:
    """Export an org's ledger in the same format the import reads."""
    ledger_kind = get_kind(kind)
    org = _org(ctx, org_code, "orgs.view")
    assert org is not None
    data = ledger_export(actor=actor_of(ctx), kind_name=ledger_kind.name, org=org, fmt=fmt)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)
        click.echo(f"已导出到 {output}", err=True)


@click.command("ledgers")
def ledgers_cmd() -> None:
    """List the ledger kinds and their columns, as JSON."""
    emit_json(
        {
            name: {
                "title": k.title,
                "columns": [{"name": c.name, "zh": c.zh, "required": c.required} for c in k.columns],
            }
            for name, k in sorted(kinds().items())
        }
    )


def register(cli: click.Group) -> None:
    for cmd in (import_cmd, export_cmd, ledgers_cmd):
        cli.add_command(cmd)
