"""The ticket intake's cheap path: cached tokens, orgs and handling rules that still follow every change, the
hand-written representation that matches DRF's, the fixed-window rate limit, and the query count of one creation."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhengwu.api.v1.hotline.views import TicketSerializer
from zhengwu.hotline import config_cache
from zhengwu.hotline.models import HandlingRule, LimitUnit, Ticket
from zhengwu.hotline.tests.factories import dispatched, make_ticket
from zhengwu.orgs import services as org_services

pytestmark = pytest.mark.django_db
URL = "/api/v1/hotline/tickets/"


def _token_client(staff) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=staff)[0].key}")
    return client


def _create(client: APIClient, org, **extra):
    body = {"org": org.code, "channel": "app", "kind": "complaint", "content": "路灯不亮", **extra}
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_the_written_representation_is_what_drf_would_write(county, operator, handler, frozen):
    fresh = make_ticket(org=county["gov"], actor=operator, caller_name="张三丰", caller_phone="13800138000")
    at_unit = dispatched(org=county["gov"], unit=county["dept"])
    for ticket in (fresh, at_unit):
        ticket = Ticket.objects.select_related("org", "lead_unit").get(pk=ticket.pk)
        generic = serializers.ModelSerializer.to_representation(TicketSerializer(), ticket)
        assert TicketSerializer(ticket).data == generic
    assert TicketSerializer(fresh).data["caller_phone"] == "138****8000"
    assert TicketSerializer(at_unit).data["lead_unit"] == county["dept"].code


def test_one_creation_takes_a_handful_of_queries_once_warm(county, operator, frozen):
    client = _token_client(operator)
    assert _create(client, county["gov"]).status_code == 201
    with CaptureQueriesContext(connection) as ctx:
        response = _create(client, county["gov"], caller_phone="13900139000")
    assert response.status_code == 201
    # duplicates look-up, ticket number, ticket, chain head, event (+ head update off PostgreSQL); no token,
    # membership, org or rule queries
    # (the tests' cache lives in the database, in production in Redis; the test's transaction turns the
    # intake's own into savepoints)
    queries = [
        q["sql"] for q in ctx.captured_queries if "zhengwu_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]
    assert len(queries) <= 7, [q[:80] for q in queries]
    sql = " ".join(queries)
    assert "authtoken_token" not in sql and "orgs_membership" not in sql and "hotline_handlingrule" not in sql


def test_a_changed_handling_rule_applies_to_the_next_ticket(county, operator, frozen):
    client = _token_client(operator)
    assert _create(client, county["gov"]).json()["due_on"] == "2026-11-16"  # default: 5 workdays
    HandlingRule.objects.create(org=county["gov"], kind="complaint", urgency="normal", limit=2, unit=LimitUnit.WORKDAYS)
    assert _create(client, county["gov"]).json()["due_on"] == "2026-11-11"


def test_another_process_changing_a_rule_is_seen_through_the_shared_generation(county, operator, frozen, monkeypatch):
    client = _token_client(operator)
    rule = HandlingRule.objects.create(
        org=county["gov"], kind="complaint", urgency="normal", limit=2, unit=LimitUnit.WORKDAYS
    )
    assert _create(client, county["gov"]).json()["due_on"] == "2026-11-11"
    # Another process changes the rule: this process gets no signal, only the new generation in the shared cache.
    HandlingRule.objects.filter(pk=rule.pk).update(limit=3)
    assert _create(client, county["gov"]).json()["due_on"] == "2026-11-11"  # still this process's copy
    cache.set(config_cache.GENERATION_KEY, "set-by-another-process", timeout=None)
    # Read at most once a second: within it this process keeps its copy, after it the new rule applies.
    now = config_cache._monotonic()
    monkeypatch.setattr(config_cache, "_monotonic", lambda: now + 0.5)
    assert _create(client, county["gov"]).json()["due_on"] == "2026-11-11"
    monkeypatch.setattr(config_cache, "_monotonic", lambda: now + config_cache.CHECK_INTERVAL + 0.1)
    assert _create(client, county["gov"]).json()["due_on"] == "2026-11-12"


def test_a_deleted_token_stops_working_at_once(county, operator, frozen):
    client = _token_client(operator)
    assert _create(client, county["gov"]).status_code == 201
    Token.objects.filter(user=operator).get().delete()
    assert _create(client, county["gov"]).status_code == 401


def test_a_deactivated_operator_is_refused_at_once(county, operator, frozen):
    client = _token_client(operator)
    assert _create(client, county["gov"]).status_code == 201
    operator.is_active = False
    operator.save(update_fields=["is_active"])
    assert _create(client, county["gov"]).status_code in (401, 403)
    assert Ticket.objects.count() == 1


def test_a_revoked_membership_is_refused_at_once(county, operator, frozen):
    client = _token_client(operator)
    assert _create(client, county["gov"]).status_code == 201
    org_services.membership_revoke(actor=None, membership=operator.memberships.get())
    assert _create(client, county["gov"]).status_code == 403


def test_an_unknown_token_is_refused(county, frozen):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert _create(client, county["gov"]).status_code == 401


def test_the_user_budget_answers_429_with_retry_after(county, operator, frozen, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "2/min"},
    }
    cache.clear()
    client = _token_client(operator)
    assert [_create(client, county["gov"]).status_code for _ in range(3)] == [201, 201, 429]
    refused = _create(client, county["gov"])
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert Ticket.objects.count() == 2


def test_a_bad_request_after_a_good_one_is_refused_on_its_own_fields(county, operator, frozen):
    client = _token_client(operator)
    assert _create(client, county["gov"], caller_name="张三").status_code == 201
    refused = _create(client, county["gov"], kind="gossip", content="")
    assert refused.status_code == 400
    assert set(refused.json()["detail"]) == {"kind", "content"}
    again = _create(client, county["gov"])
    assert again.status_code == 201 and again.json()["caller_name"] == ""  # nothing left over from the first
