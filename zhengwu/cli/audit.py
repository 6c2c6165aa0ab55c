"""`zhengwu audit verify`: walk the hash chain and name the first broken link."""

from __future__ import annotations

import click

from zhengwu.cli.common import progress, require_operator
from zhengwu.core.audit import verify_chain
from zhengwu.core.models import AuditEvent


@click.group("audit")
def audit_group() -> None:
    """审计：the audit trail."""


@audit_group.command("verify")
@click.pass_context
def audit_verify(ctx: click.Context) -> None:
    """Check every event's hash and link. Exit 0 when intact, 1 naming the first broken event."""
    require_operator(ctx)  # the chain spans every org
    total = AuditEvent.objects.count()
    with progress(total, "verify") as bar:
        checked, broken = verify_chain(progress=bar.update)  # type: ignore[arg-type]
    if broken is None:
        click.echo(f"审计链完整：{checked} 个事件已校验。", err=True)
        return
    where = "链头" if broken.event_id < 0 else f"事件 #{broken.event_id}"
    click.echo(f"审计链断裂：{where}：{broken.reason}（此前 {checked} 个事件完好）", err=True)
    raise click.exceptions.Exit(1)


def register(cli: click.Group) -> None:
    cli.add_command(audit_group)
