"""/api/v1/hotline/tickets/: registering, listing, and each step, all through the services."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from zhengwu.hotline.models import Ticket
from zhengwu.hotline.states import TicketStatus
from zhengwu.hotline.tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _api(staff) -> APIClient:
    client = APIClient()
    client.force_authenticate(staff)
    return client


def test_an_operator_registers_a_ticket_and_sees_the_duplicate(county, operator, frozen):
    earlier = make_ticket(org=county["gov"], actor=operator, content="小区门口下水道堵塞，污水漫到路面")
    api = _api(operator)

    response = api.post(
        "/api/v1/hotline/tickets/",
        {
            "org": county["gov"].code,
            "channel": "wechat",
            "kind": "complaint",
            "caller_phone": "13800138000",
            "content": "小区门口下水道又堵塞了",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["duplicates"] == [earlier.ref]
    assert body["caller_phone"] == "138****8000"
    assert body["due"]["due_on"] == "2026-11-16" and body["due"]["state"] == "on_time"


def test_the_api_walks_a_ticket_to_conclusion(county, operator, handler, frozen):
    ticket = make_ticket(org=county["gov"], actor=operator)
    op, unit = _api(operator), _api(handler)
    url = f"/api/v1/hotline/tickets/{ticket.pk}/"

    assert op.post(url + "dispatch/", {"lead": county["dept"].code}, format="json").status_code == 200
    assert unit.get("/api/v1/hotline/tickets/").json()["count"] == 1
    assert unit.post(url + "accept/", {}, format="json").json()["status"] == "handling"
    assert unit.post(url + "reply/", {"content": "已处理"}, format="json").json()["status"] == "replied"
    assert op.post(url + "callback/", {"result": "basically_satisfied"}, format="json").status_code == 200
    body = op.post(url + "conclude/", {}, format="json").json()

    assert body["status"] == TicketStatus.CONCLUDED and body["callback"] == "basically_satisfied"


def test_api_errors_follow_the_error_contract(county, operator, handler, frozen):
    ticket = make_ticket(org=county["gov"], actor=operator)
    url = f"/api/v1/hotline/tickets/{ticket.pk}/"

    stale = _api(operator).post(url + "conclude/", {}, format="json")
    missing = _api(operator).post(url + "callback/", {}, format="json")
    hidden = _api(handler).get(url)
    forbidden = _api(handler).post(
        "/api/v1/hotline/tickets/",
        {"org": county["gov"].code, "channel": "phone", "kind": "help", "content": "求助"},
        format="json",
    )

    assert stale.status_code == 409 and stale.json()["code"] == "transition_not_allowed"
    assert missing.status_code in (400, 409)
    assert hidden.status_code == 404
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "forbidden"
    assert Ticket.objects.count() == 1
