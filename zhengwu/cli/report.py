"""`zhengwu report …`: the statutory and statistical reports (spec/annual-report.md, spec/service-metrics.md).

The group is defined here; `zhengwu.cli.report_annual` and `zhengwu.cli.report_service` add their verbs to it.
"""

from __future__ import annotations

import click


@click.group("report")
def report_group() -> None:
    """报告：annual disclosure report and service statistics."""


def register(cli: click.Group) -> None:
    cli.add_command(report_group)
