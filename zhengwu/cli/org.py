"""`zhengwu org …`: the org tree from the command line."""

from __future__ import annotations

import click

from zhengwu.cli.common import actor_of, emit_json
from zhengwu.orgs import selectors, services
from zhengwu.orgs.models import OrgKind


@click.group("org")
def org_group() -> None:
    """机构：add and list orgs."""


@org_group.command("add")
@click.option("--code", required=True, help="Org code, unique (letters, digits, . _ -).")
@click.option("--name", required=True, help="Full name, e.g. 蓝山县人民政府.")
@click.option("--kind", required=True, metavar="KIND", help=f"One of: {', '.join(OrgKind.values)}.")
@click.option("--parent", "parent_code", default=None, metavar="CODE", help="Parent org code.")
@click.option("--division", "division_code", default=None, metavar="CODE", help="Division code (GB/T 2260).")
@click.pass_context
def org_add(
    ctx: click.Context, code: str, name: str, kind: str, parent_code: str | None, division_code: str | None
) -> None:
    """Add an org. Prints it as JSON."""
    org = services.org_create(
        actor=actor_of(ctx), code=code, name=name, kind=kind, parent=parent_code, division=division_code
    )
    emit_json(
        {
            "code": org.code,
            "name": org.name,
            "kind": org.kind,
            "parent": org.parent.code if org.parent else None,
            "path": org.path,
        }
    )


@org_group.command("list")
@click.option("--under", "under_code", default=None, metavar="CODE", help="Only this org's subtree.")
@click.pass_context
def org_list(ctx: click.Context, under_code: str | None) -> None:
    """List the orgs you may see, as JSON."""
    qs = selectors.org_list_for_actor(actor_of(ctx))
    if under_code:
        root = qs.filter(code=under_code).first()
        if root is None:
            raise click.UsageError(f"没有可见的机构：{under_code}")
        qs = qs.filter(path__startswith=root.path)
    emit_json(
        [
            {"code": code, "name": name, "kind": kind, "depth": depth}
            for code, name, kind, depth in qs.values_list("code", "name", "kind", "depth")
        ]
    )


def register(cli: click.Group) -> None:
    cli.add_command(org_group)
