"""Factories for hotline tests, built through the services so states, due dates and audit events are real."""

from __future__ import annotations

from typing import Any

from zhengwu.hotline import services
from zhengwu.hotline.models import Channel, Ticket, TicketKind
from zhengwu.orgs.models import Org, Staff


def make_ticket(*, org: Org, actor: Staff | None = None, **kwargs: Any) -> Ticket:
    values: dict[str, Any] = {
        "channel": Channel.PHONE,
        "kind": TicketKind.COMPLAINT,
        "subtype": "consumer",
        "content": "某超市出售过期牛奶，要求处理并退款",
        "caller_name": "张三",
        "caller_phone": "13800138000",
        "location": "城关镇岚山大道12号",
    }
    values.update(kwargs)
    return services.ticket_create(actor=actor, org=org, **values).ticket


def dispatched(*, org: Org, unit: Org, **kwargs: Any) -> Ticket:
    ticket = make_ticket(org=org, **kwargs)
    return services.ticket_dispatch(actor=None, ticket=ticket, lead=unit)


def handling(*, org: Org, unit: Org, **kwargs: Any) -> Ticket:
    return services.ticket_accept(actor=None, ticket=dispatched(org=org, unit=unit, **kwargs))


def replied(*, org: Org, unit: Org, **kwargs: Any) -> Ticket:
    ticket = handling(org=org, unit=unit, **kwargs)
    services.ticket_reply(actor=None, ticket=ticket, content="已责令超市下架并退款")
    ticket.refresh_from_db()
    return ticket
