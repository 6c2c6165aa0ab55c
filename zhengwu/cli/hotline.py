"""`zhengwu hotline …`: cards for a month, the overdue list, Open311 client keys."""

from __future__ import annotations

import datetime as dt

import click

from zhengwu.cli.common import BadInput, actor_of, emit_json


def _org(code: str) -> object:
    from zhengwu.orgs.models import Org

    org = Org.objects.filter(code=code, is_active=True).first()
    if org is None:
        raise BadInput(f"没有这个机构：{code}")
    return org


@click.group("hotline")
def hotline_group() -> None:
    """12345热线：cards, overdue tickets, Open311 clients."""


@hotline_group.command("cards")
@click.option("--org", "org_code", required=True, metavar="CODE", help="The hotline's org code.")
@click.option("--month", required=True, metavar="YYYY-MM", help="The month to apply the card rules to.")
@click.pass_context
def hotline_cards(ctx: click.Context, org_code: str, month: str) -> None:
    """Issue the month's yellow and red cards by the org's rules (running it again issues none). Prints them."""
    from zhengwu.hotline.services import cards_evaluate

    try:
        first = dt.date.fromisoformat(f"{month}-01")
    except ValueError:
        raise BadInput(f"--month 应为 YYYY-MM：{month}") from None
    cards = cards_evaluate(actor=actor_of(ctx), org=_org(org_code), month=first)  # type: ignore[arg-type]
    emit_json(
        [
            {
                "unit": c.unit.code,
                "unit_name": c.unit.name,
                "color": c.color,
                "month": month,
                "overdue": c.overdue_count,
            }
            for c in cards
        ]
    )


@hotline_group.command("overdue")
@click.pass_context
def hotline_overdue(ctx: click.Context) -> None:
    """Tickets at a unit past their due date, in the hotlines you supervise, as JSON."""
    from zhengwu.hotline import selectors

    rows = selectors.tickets_overdue(actor_of(ctx))[:1000]
    emit_json(
        [
            {
                "org": t.org.code,
                "ref": t.ref,
                "unit": t.lead_unit.code if t.lead_unit else None,
                "due_on": t.due_on,
                "status": t.status,
            }
            for t in rows
        ]
    )


@hotline_group.command("client-add")
@click.option("--org", "org_code", required=True, metavar="CODE", help="The hotline's org code.")
@click.option("--name", required=True, help="The client app's name, e.g. 青岚县微信小程序.")
@click.option("--channel", default="app", type=click.Choice(["wechat", "app", "web", "other"]))
@click.pass_context
def hotline_client_add(ctx: click.Context, org_code: str, name: str, channel: str) -> None:
    """Create an Open311 API key for a client app. The key is printed this once; only its hash is kept."""
    from zhengwu.hotline.services import api_client_create

    client, key = api_client_create(actor=actor_of(ctx), org=_org(org_code), name=name, channel=channel)  # type: ignore[arg-type]
    emit_json({"org": org_code, "name": client.name, "channel": client.channel, "api_key": key})


@hotline_group.command("train")
@click.option("--org", "org_code", required=True, metavar="CODE", help="The hotline's org code.")
@click.pass_context
def hotline_train(ctx: click.Context, org_code: str) -> None:
    """Retrain the dispatch suggestion from the hotline's past tickets; prints top-1/top-3 accuracy on the newest
    20% (held out)."""
    from zhengwu.hotline.suggest import dispatch_model_train

    result = dispatch_model_train(actor=actor_of(ctx), org=_org(org_code))  # type: ignore[arg-type]
    emit_json(
        {
            "org": org_code,
            "train": result.train_count,
            "test": result.test_count,
            "top1": result.top1,
            "top3": result.top3,
        }
    )


@hotline_group.command("bulletin")
@click.option("--org", "org_code", required=True, metavar="CODE", help="The hotline's org code.")
@click.option("--month", required=True, metavar="YYYY-MM")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False), help="The .docx to write.")
@click.pass_context
def hotline_bulletin(ctx: click.Context, org_code: str, month: str, output: str) -> None:
    """Write the month's hotline bulletin (工作通报) as DOCX."""
    from pathlib import Path

    from zhengwu.hotline.bulletin import bulletin_docx

    try:
        first = dt.date.fromisoformat(f"{month}-01")
    except ValueError:
        raise BadInput(f"--month 应为 YYYY-MM：{month}") from None
    data = bulletin_docx(actor=actor_of(ctx), org=_org(org_code), month=first)  # type: ignore[arg-type]
    Path(output).write_bytes(data)
    click.echo(f"已写入 {output}（{len(data)} 字节）", err=True)


def register(cli: click.Group) -> None:
    cli.add_command(hotline_group)
