"""`zhengwu fee …` (spec/fees.md) and `zhengwu disclosure …`: thin verbs over the disclosure services."""

from __future__ import annotations

import click

from zhengwu.cli.common import BadInput, actor_of, emit_json


def _whole(raw: str, label: str) -> int:
    text = raw.strip()
    if not text.lstrip("-").isdigit():
        raise BadInput(f"{label}: 不是整数：{raw}")
    return int(text)


@click.group("fee")
def fee_group() -> None:
    """信息处理费：the two progressive methods of 国办函〔2020〕109号."""


@fee_group.command("per-request", context_settings={"ignore_unknown_options": True})
@click.argument("n")
def fee_per_request(n: str) -> None:
    """Print the fee in yuan for the applicant's N-th request in a calendar month (按件计收)."""
    from zhengwu.disclosure.fees import per_request_fee

    click.echo(str(per_request_fee(_whole(n, "N"))))


@fee_group.command("per-volume", context_settings={"ignore_unknown_options": True})
@click.argument("pages")
def fee_per_volume(pages: str) -> None:
    """Print the fee in yuan for PAGES A4-equivalent pages of one request (按量计收)."""
    from zhengwu.disclosure.fees import per_volume_fee

    click.echo(str(per_volume_fee(_whole(pages, "PAGES"))))


@click.group("disclosure")
def disclosure_group() -> None:
    """依申请公开：requests and their due dates."""


@disclosure_group.command("due")
@click.option("--org", "org_code", default=None, metavar="CODE", help="Only this org's requests.")
@click.pass_context
def disclosure_due(ctx: click.Context, org_code: str | None) -> None:
    """Print the open requests the actor may see, by due date, as JSON (the officer's workbench)."""
    from zhengwu.disclosure.selectors import request_list_for_staff
    from zhengwu.disclosure.services.clock import request_clock
    from zhengwu.disclosure.states import OPEN
    from zhengwu.orgs import policies

    actor = actor_of(ctx)
    qs = request_list_for_staff(actor).filter(status__in=OPEN)  # type: ignore[arg-type]
    if org_code:
        from zhengwu.orgs.models import Org

        org = Org.objects.filter(code=org_code).first()
        if org is None or not policies.can(actor, "disclosure.view", org):
            raise BadInput(f"--org: 没有这个机构：{org_code}")
        qs = qs.filter(org=org)
    rows = []
    for r in qs.prefetch_related("clarifications", "consultations", "extensions", "fee_notices").order_by("due_on")[
        :1000
    ]:
        clock = request_clock(r)
        rows.append(
            {
                "org": r.org.code,
                "ref": r.ref,
                "status": r.status,
                "received_on": r.received_on,
                **(clock.as_dict() if clock is not None else {"due_on": None}),
            }
        )
    rows.sort(key=lambda x: (x["due_on"] is None, x["due_on"] or ""))
    emit_json(rows)


def register(cli: click.Group) -> None:
    cli.add_command(fee_group)
    cli.add_command(disclosure_group)
