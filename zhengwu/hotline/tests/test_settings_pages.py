"""The hotline's settings pages: handling time limits, card rules and Open311 keys, for the hotline's admin only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhengwu.core.models import AuditEvent
from zhengwu.hotline import services
from zhengwu.hotline.models import ApiClient, CardRule, HandlingRule, Ticket
from zhengwu.hotline.tests.factories import make_ticket
from zhengwu.orgs.models import Role
from zhengwu.orgs.tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(county):
    return make_staff(org=county["gov"], role=Role.ADMIN)


def _login(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def _rule_row(body: str, kind: str, urgency: str) -> str:
    start = body.index(f'data-kind="{kind}" data-urgency="{urgency}"')
    return body[start : body.index("</tr>", start)]


def test_the_admin_sets_a_handling_limit_and_the_next_ticket_uses_it(county, admin, operator, frozen):
    client = _login(admin)
    gov = county["gov"]
    body = client.get(reverse("staff_hotline:settings")).content.decode()
    assert "系统默认" in _rule_row(body, "complaint", "normal") and "5 工作日" in _rule_row(body, "complaint", "normal")

    response = client.post(
        reverse("staff_hotline:settings_rule"),
        {"org": gov.pk, "kind": "complaint", "urgency": "normal", "limit": 3, "unit": "workdays"},
    )

    assert response.status_code == 302
    body = client.get(response["Location"]).content.decode()
    assert "本级规则" in _rule_row(body, "complaint", "normal") and "3 工作日" in _rule_row(body, "complaint", "normal")
    event = AuditEvent.objects.get(action="hotline.handling_rule.set")
    assert event.actor_id == admin.pk and event.new["limit"] == 3 and event.old is None
    ticket = make_ticket(org=gov, actor=operator, kind="complaint")
    assert ticket.limit == 3 and ticket.due_on.isoformat() == "2026-11-12"  # Monday + 3 workdays


def test_a_department_below_shows_the_rule_it_inherits_and_clearing_restores_the_default(county, admin, frozen):
    client = _login(admin)
    gov, dept = county["gov"], county["dept"]
    services.handling_rule_set(actor=admin, org=gov, kind="report", urgency="urgent", limit=6, unit="hours")

    row = _rule_row(
        client.get(reverse("staff_hotline:settings"), {"org": dept.pk}).content.decode(), "report", "urgent"
    )
    assert "6 小时" in row and gov.name in row

    response = client.post(
        reverse("staff_hotline:settings_rule"), {"org": gov.pk, "kind": "report", "urgency": "urgent", "clear": "on"}
    )
    assert response.status_code == 302
    assert not HandlingRule.objects.filter(org=gov).exists()
    assert AuditEvent.objects.filter(action="hotline.handling_rule.clear", actor_id=admin.pk).count() == 1
    row = _rule_row(client.get(reverse("staff_hotline:settings")).content.decode(), "report", "urgent")
    assert "系统默认" in row and "1 工作日" in row


@pytest.mark.parametrize(("limit", "unit"), [("", "workdays"), ("0", "workdays"), ("721", "hours"), ("三", "workdays")])
def test_a_bad_limit_is_refused_with_an_error_naming_the_field(county, admin, limit, unit):
    response = _login(admin).post(
        reverse("staff_hotline:settings_rule"),
        {"org": county["gov"].pk, "kind": "complaint", "urgency": "normal", "limit": limit, "unit": unit},
    )
    assert response.status_code == 400
    assert 'data-field="limit"' in response.content.decode()
    assert "办理时限：" in response.content.decode()
    assert not HandlingRule.objects.exists()


def test_the_admin_sets_the_card_thresholds(county, admin):
    client = _login(admin)
    gov = county["gov"]
    response = client.post(
        reverse("staff_hotline:settings_cards"), {"org": gov.pk, "overdue_per_month": 5, "yellows_per_quarter": 3}
    )
    assert response.status_code == 302
    rule = CardRule.objects.get(org=gov)
    assert (rule.overdue_per_month, rule.yellows_per_quarter) == (5, 3)
    event = AuditEvent.objects.get(action="hotline.card_rule.set")
    assert event.new == {"overdue_per_month": 5, "yellows_per_quarter": 3} and event.actor_id == admin.pk
    body = client.get(reverse("staff_hotline:settings")).content.decode()
    assert 'name="overdue_per_month" value="5"' in body

    refused = client.post(
        reverse("staff_hotline:settings_cards"), {"org": gov.pk, "overdue_per_month": 5, "yellows_per_quarter": 4}
    )
    assert refused.status_code == 400
    assert "季度黄牌数（红牌）：" in refused.content.decode()
    assert CardRule.objects.get(org=gov).yellows_per_quarter == 3


def test_an_issued_key_is_shown_once_then_masked_and_works_until_revoked(county, admin, frozen):
    client = _login(admin)
    response = client.post(reverse("staff_hotline:api_clients"), {"org": county["gov"].pk, "name": "青岚小程序"})
    assert response.status_code == 200
    key = response.context["issued"][1]
    assert key in response.content.decode()
    api_client = ApiClient.objects.get(name="青岚小程序")
    listing = client.get(reverse("staff_hotline:api_clients")).content.decode()
    assert key not in listing and f"{api_client.key_prefix}••••••••" in listing

    filed = Client().post(
        "/open311/requests.json",
        {
            "api_key": key,
            "service_code": "complaint.consumer",
            "description": "商场电梯停运",
            "address_string": "岚山大道88号",
        },
    )
    assert filed.status_code == 201, filed.content.decode()

    revoked = client.post(reverse("staff_hotline:api_client_revoke", kwargs={"pk": api_client.pk}), {"reason": "泄露"})
    assert revoked.status_code == 302
    assert not ApiClient.objects.get(pk=api_client.pk).is_active
    assert AuditEvent.objects.get(action="hotline.api_client.revoke").reason == "泄露"
    refused = Client().post(
        "/open311/requests.json",
        {
            "api_key": key,
            "service_code": "complaint.consumer",
            "description": "又一件",
            "address_string": "岚山大道88号",
        },
    )
    assert refused.status_code in (400, 403)
    assert Ticket.objects.count() == 1


def test_a_nameless_app_is_refused_naming_the_field(county, admin):
    response = _login(admin).post(reverse("staff_hotline:api_clients"), {"org": county["gov"].pk, "name": " "})
    assert response.status_code == 400
    assert "应用名称：" in response.content.decode()
    assert not ApiClient.objects.exists()


def test_settings_are_for_the_admin_not_the_operator(county, admin, operator):
    client = _login(operator)
    for name in ("staff_hotline:settings", "staff_hotline:api_clients"):
        assert client.get(reverse(name)).status_code == 403
    assert (
        client.post(
            reverse("staff_hotline:settings_rule"),
            {"org": county["gov"].pk, "kind": "complaint", "urgency": "normal", "limit": 1, "unit": "workdays"},
        ).status_code
        == 403
    )
    assert not HandlingRule.objects.exists()
    home_admin = _login(admin).get(reverse("staff:home")).content.decode()
    home_operator = client.get(reverse("staff:home")).content.decode()
    assert reverse("staff_hotline:settings") in home_admin
    assert reverse("staff_hotline:settings") not in home_operator
