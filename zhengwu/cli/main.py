"""The `zhengwu` command: one entry point, thin verbs over the services (spec/cli-and-ledgers.md).

Exit status: 0 done; 2 bad input (the message names what is wrong); 1 anything else.
JSON goes to standard output, messages to standard error.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence

import click

# Each module defines `register(group)` and adds its verbs; a new domain adds its module here.
COMMAND_MODULES = [
    "zhengwu.cli.platform",
    "zhengwu.cli.org",
    "zhengwu.cli.audit",
    "zhengwu.cli.ledger",
    "zhengwu.cli.calendar",
    "zhengwu.cli.report",
    "zhengwu.cli.report_service",
    "zhengwu.cli.report_annual",
    "zhengwu.cli.disclosure",
    "zhengwu.cli.hotline",
    "zhengwu.cli.cases",
]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.option(
    "--as",
    "as_user",
    envvar="ZHENGWU_ACTOR",
    metavar="USERNAME",
    help="Act as this staff member, with their permissions (default: the platform operator).",
)
@click.pass_context
def cli(ctx: click.Context, as_user: str | None) -> None:
    """zhengwu 政务 — service hall, information disclosure, 12345 hotline and statutory reports."""
    from zhengwu.cli.common import CliContext

    ctx.obj = CliContext(as_user=as_user)


def build() -> click.Group:
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(cli)
    return cli


def main(argv: Sequence[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from zhengwu.cli.common import run

    sys.exit(run(build(), list(argv) if argv is not None else sys.argv[1:]))


if __name__ == "__main__":
    main()
