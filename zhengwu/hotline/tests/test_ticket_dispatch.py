"""Dispatch down the tree, acceptance, return with a reason, redispatch, urging, and the concurrency rule."""

from __future__ import annotations

import pytest

from zhengwu.core.errors import Conflict, InvalidInput, PermissionDenied, TransitionNotAllowed
from zhengwu.hotline import selectors, services
from zhengwu.hotline.models import Dispatch, DispatchRole, Ticket, Urge
from zhengwu.hotline.states import TicketStatus
from zhengwu.hotline.tests.factories import dispatched, make_ticket

pytestmark = pytest.mark.django_db


def test_dispatch_sends_the_ticket_to_a_lead_and_assisting_units(county, operator, handler, frozen):
    ticket = make_ticket(org=county["gov"], actor=operator)

    ticket = services.ticket_dispatch(
        actor=operator, ticket=ticket, lead=county["dept"], assisting=[county["town"]], note="请核查"
    )

    assert ticket.status == TicketStatus.DISPATCHED
    assert ticket.lead_unit == county["dept"]
    roles = dict(Dispatch.objects.filter(ticket=ticket, active=True).values_list("unit_id", "role"))
    assert roles == {county["dept"].pk: DispatchRole.LEAD, county["town"].pk: DispatchRole.ASSISTING}
    assert [d.ticket_id for d in selectors.unit_inbox(handler)] == [ticket.pk]


def test_dispatch_only_goes_down_the_hotline_s_own_tree(county, other_county, operator, frozen):
    ticket = make_ticket(org=county["gov"], actor=operator)

    with pytest.raises(InvalidInput):
        services.ticket_dispatch(actor=operator, ticket=ticket, lead=other_county["dept"])
    with pytest.raises(InvalidInput):
        services.ticket_dispatch(actor=operator, ticket=ticket, lead=county["gov"])
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NEW


def test_a_station_below_a_township_can_be_reached(county, operator, frozen):
    ticket = make_ticket(org=county["gov"], actor=operator)

    ticket = services.ticket_dispatch(actor=operator, ticket=ticket, lead=county["station"])

    assert ticket.lead_unit == county["station"]


def test_a_unit_returns_a_misrouted_ticket_with_a_reason_and_it_is_redispatched(
    county, operator, handler, handler2, frozen
):
    ticket = dispatched(org=county["gov"], unit=county["dept"])
    due = ticket.due_on

    with pytest.raises(InvalidInput):
        services.ticket_return(actor=handler, ticket=ticket, reason=" ")
    ticket = services.ticket_return(actor=handler, ticket=ticket, reason="不属于本单位职责，建议派自然资源局")

    assert ticket.status == TicketStatus.RETURNED
    assert ticket.return_count == 1
    assert ticket.lead_unit is None
    assert Dispatch.objects.get(ticket=ticket, unit=county["dept"]).return_reason.startswith("不属于")
    assert list(selectors.unit_inbox(handler)) == []
    assert ticket in selectors.dispatcher_queue(operator)

    ticket = services.ticket_dispatch(actor=operator, ticket=ticket, lead=county["dept2"])
    ticket = services.ticket_accept(actor=handler2, ticket=ticket)

    assert ticket.status == TicketStatus.HANDLING
    assert ticket.due_on == due  # a misrouting does not lengthen the caller's wait
    assert Dispatch.objects.filter(ticket=ticket).count() == 2


def test_only_the_unit_it_was_sent_to_may_accept_or_return_it(county, handler2, frozen):
    ticket = dispatched(org=county["gov"], unit=county["dept"])

    with pytest.raises(PermissionDenied):
        services.ticket_accept(actor=handler2, ticket=ticket)
    with pytest.raises(PermissionDenied):
        services.ticket_return(actor=handler2, ticket=ticket, reason="不是我们的")


def test_an_assisting_unit_accepts_without_moving_the_ticket(county, operator, handler2, frozen):
    ticket = make_ticket(org=county["gov"], actor=operator)
    ticket = services.ticket_dispatch(actor=operator, ticket=ticket, lead=county["dept"], assisting=[county["dept2"]])

    services.ticket_accept(actor=handler2, ticket=ticket)

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DISPATCHED
    assert Dispatch.objects.get(ticket=ticket, unit=county["dept2"]).accepted_at == frozen.at


def test_two_stale_copies_one_wins_the_other_gets_a_conflict(county, operator, frozen):
    ticket = make_ticket(org=county["gov"], actor=operator)
    copy_a = Ticket.objects.get(pk=ticket.pk)
    copy_b = Ticket.objects.get(pk=ticket.pk)

    services.ticket_dispatch(actor=operator, ticket=copy_a, lead=county["dept"])
    with pytest.raises(Conflict) as err:
        services.ticket_dispatch(actor=operator, ticket=copy_b, lead=county["dept2"])

    assert not isinstance(err.value, TransitionNotAllowed)
    ticket.refresh_from_db()
    assert ticket.lead_unit == county["dept"]
    assert Dispatch.objects.filter(ticket=ticket).count() == 1


def test_accepting_twice_is_not_allowed(county, handler, frozen):
    ticket = dispatched(org=county["gov"], unit=county["dept"])
    services.ticket_accept(actor=handler, ticket=ticket)

    with pytest.raises(TransitionNotAllowed):
        services.ticket_accept(actor=handler, ticket=ticket)


def test_a_supervisor_urges_the_lead_unit(county, supervisor, handler, frozen):
    ticket = dispatched(org=county["gov"], unit=county["dept"])

    urge = services.ticket_urge(actor=supervisor, ticket=ticket, note="请今日内答复")

    assert urge.unit == county["dept"]
    assert Urge.objects.filter(ticket=ticket).count() == 1
    with pytest.raises(PermissionDenied):
        services.ticket_urge(actor=handler, ticket=ticket, note="自己催自己")


def test_a_township_passes_a_county_ticket_down_to_its_station(county, operator, frozen):
    from zhengwu.orgs.models import Role, Scope
    from zhengwu.orgs.tests.factories import make_staff

    town_operator = make_staff(org=county["town"], role=Role.HOTLINE_OPERATOR, scope=Scope.SELF)
    station_handler = make_staff(org=county["station"], role=Role.UNIT_HANDLER, scope=Scope.SELF)
    ticket = dispatched(org=county["gov"], unit=county["town"])
    due = ticket.due_on

    assert selectors.ticket_get_for_actor(town_operator, pk=ticket.pk) is not None
    with pytest.raises(InvalidInput):
        services.ticket_forward(actor=town_operator, ticket=ticket, unit=county["dept"])  # not below the town
    ticket = services.ticket_forward(actor=town_operator, ticket=ticket, unit=county["station"], note="请社区核实")
    ticket = services.ticket_accept(actor=station_handler, ticket=ticket)

    assert ticket.lead_unit == county["station"] and ticket.due_on == due
    assert ticket.status == TicketStatus.HANDLING
    assert Dispatch.objects.get(ticket=ticket, active=True, role=DispatchRole.LEAD).unit == county["station"]


def test_only_the_lead_unit_forwards(county, handler2, frozen):
    ticket = dispatched(org=county["gov"], unit=county["town"])

    with pytest.raises(PermissionDenied):
        services.ticket_forward(actor=handler2, ticket=ticket, unit=county["station"])


def test_a_return_after_forwarding_goes_back_to_the_forwarding_unit(county, frozen):
    from zhengwu.orgs.models import Role, Scope
    from zhengwu.orgs.tests.factories import make_staff

    town_operator = make_staff(org=county["town"], role=Role.HOTLINE_OPERATOR, scope=Scope.SELF)
    station_handler = make_staff(org=county["station"], role=Role.UNIT_HANDLER, scope=Scope.SELF)
    ticket = dispatched(org=county["gov"], unit=county["town"])
    ticket = services.ticket_forward(actor=town_operator, ticket=ticket, unit=county["station"])

    ticket = services.ticket_return(actor=station_handler, ticket=ticket, reason="本站无执法权，请镇里处理")

    assert ticket.status == TicketStatus.DISPATCHED
    assert ticket.lead_unit == county["town"] and ticket.return_count == 1
    assert Dispatch.objects.get(ticket=ticket, active=True, role=DispatchRole.LEAD).unit == county["town"]
