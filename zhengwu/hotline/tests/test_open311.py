"""Open311 GeoReport v2 over plain HTTP, as a 311 app would call it: JSON and XML, and the error cases."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest
from django.test import Client, override_settings

from zhengwu.core.models import AuditEvent
from zhengwu.hotline import services
from zhengwu.hotline.models import ApiClient, Channel, Ticket
from zhengwu.hotline.states import TicketStatus
from zhengwu.hotline.tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def app_key(county, frozen) -> str:
    _client, key = services.api_client_create(
        actor=None, org=county["gov"], name="青岚微信小程序", channel=Channel.WECHAT
    )
    return key


@pytest.fixture
def http() -> Client:
    return Client()


def post(http: Client, fmt: str, **data: str):
    return http.post(f"/open311/requests.{fmt}", data=data)


GOOD = {
    "service_code": "complaint.consumer",
    "description": "商场电梯停运一周无人维修，联系电话13912345678",
    "address_string": "青岚县城关镇岚山大道88号",
    "first_name": "小明",
    "last_name": "李",
    "phone": "13912345678",
}


def test_discovery_lists_the_endpoint_in_both_formats(http, app_key):
    data = http.get("/open311/discovery.json").json()
    xml = ET.fromstring(http.get("/open311/discovery.xml").content)

    assert data["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert data["endpoints"][0]["url"].endswith("/open311/")
    assert xml.tag == "discovery"
    assert xml.find("endpoints/endpoint/specification").text == "http://wiki.open311.org/GeoReport_v2"


def test_services_and_a_service_definition(http, county, app_key):
    services_json = http.get("/open311/services.json", {"jurisdiction_id": county["gov"].code}).json()
    xml = ET.fromstring(http.get("/open311/services.xml").content)  # one jurisdiction: the id may be left out
    definition = http.get("/open311/services/complaint.consumer.json").json()

    codes = {s["service_code"] for s in services_json}
    assert "complaint.consumer" in codes and "report.economic" in codes
    assert {s["service_name"] for s in services_json} >= {"消费投诉", "经济违法举报", "行政投诉"}
    assert xml.tag == "services" and xml.find("service/service_code") is not None
    assert definition["attributes"][0]["code"] == "urgency"


def test_a_311_app_posts_a_request_and_follows_it_by_id_and_token(http, county, app_key, frozen):
    response = post(http, "json", api_key=app_key, jurisdiction_id=county["gov"].code, **GOOD)

    assert response.status_code == 201
    created = response.json()[0]
    ticket = Ticket.objects.get(ref=created["service_request_id"])
    assert ticket.channel == Channel.WECHAT and ticket.caller_name == "李小明"
    assert ticket.status == TicketStatus.NEW
    assert AuditEvent.objects.filter(action="ticket.create", reason="open311:青岚微信小程序").exists()

    by_token = http.get(f"/open311/tokens/{created['token']}.json").json()
    assert by_token == [{"service_request_id": ticket.ref, "token": created["token"]}]
    detail = http.get(f"/open311/requests/{ticket.ref}.json").json()[0]
    assert detail["status"] == "open"
    assert detail["service_code"] == "complaint.consumer"
    assert "139****5678" in detail["description"] and "13912345678" not in detail["description"]
    assert detail["requested_datetime"].endswith("+08:00")

    xml = ET.fromstring(http.get(f"/open311/requests/{ticket.ref}.xml").content)
    assert xml.tag == "service_requests"
    assert xml.find("request/service_request_id").text == ticket.ref


def test_post_in_xml_answers_in_xml(http, app_key):
    response = post(http, "xml", api_key=app_key, **GOOD)

    assert response.status_code == 201
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.find("request/token").text


def test_requests_list_filters_by_status_and_service_and_keeps_calls_and_reports_private(http, county, app_key, frozen):
    client = ApiClient.objects.get()
    open_one = make_ticket(org=county["gov"], content="路灯不亮", api_client=client)
    done = make_ticket(
        org=county["gov"], kind="consultation", subtype="policy", content="公积金政策", api_client=client
    )
    services.ticket_answer_directly(actor=None, ticket=done, answer="见公告")
    make_ticket(org=county["gov"], kind="report", subtype="economic", content="举报某公司偷税", api_client=client)
    phone_call = make_ticket(org=county["gov"], content="来电反映家中老人无人照料")

    everything = http.get("/open311/requests.json").json()
    open_only = http.get("/open311/requests.json", {"status": "open"}).json()
    closed = http.get("/open311/requests.json", {"status": "closed", "service_code": "consultation.policy"}).json()

    assert {r["service_request_id"] for r in everything} == {open_one.ref, done.ref}
    assert [r["service_request_id"] for r in open_only] == [open_one.ref]
    assert [r["service_request_id"] for r in closed] == [done.ref]
    assert http.get(f"/open311/requests/{phone_call.ref}.json").status_code == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_missing_or_bad_api_key_is_403_in_the_open311_error_shape(http, app_key, fmt):
    missing = post(http, fmt, **GOOD)
    wrong = post(http, fmt, api_key="not-a-key", **GOOD)

    assert missing.status_code == wrong.status_code == 403
    if fmt == "json":
        body = missing.json()
        assert body[0]["code"] == 403 and body[0]["description"]
    else:
        root = ET.fromstring(missing.content)
        assert root.tag == "errors" and root.find("error/code").text == "403"
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"service_code": "complaint.nosuch"}, 404),
        ({"service_code": ""}, 400),
        ({"description": ""}, 400),
        ({"address_string": ""}, 400),
        ({"lat": "91", "long": "100", "address_string": ""}, 400),
        ({"lat": "25.1"}, 400),
        ({"attribute[urgency]": "emergency"}, 400),
        ({"jurisdiction_id": "no-such-place"}, 404),
    ],
)
def test_bad_posts_get_the_right_status_and_create_nothing(http, app_key, change, status):
    response = post(http, "json", api_key=app_key, **{**GOOD, **change})

    assert response.status_code == status, response.content
    assert response.json()[0]["code"] == status
    assert Ticket.objects.count() == 0


def test_unknown_service_request_token_and_jurisdiction_are_404(http, app_key):
    assert http.get("/open311/services/nosuch.json").status_code == 404
    assert http.get("/open311/requests/999.json").json()[0]["code"] == 404
    assert http.get("/open311/tokens/ABCDEFGHJK.json").status_code == 404
    bad = http.get("/open311/services.xml", {"jurisdiction_id": "nowhere"})
    assert bad.status_code == 404 and ET.fromstring(bad.content).find("error/code").text == "404"


def test_without_jurisdiction_id_when_several_hotlines_are_open_is_400(http, county, other_county, app_key):
    services.api_client_create(actor=None, org=other_county["gov"], name="乙县应用")

    response = http.get("/open311/services.json")

    assert response.status_code == 400
    assert json.loads(response.content)[0]["code"] == 400


def test_a_method_other_than_get_or_post_is_refused(http, app_key):
    assert http.delete("/open311/requests.json").status_code == 405


@override_settings(OPEN311_RATES={"read": "3/min", "key_write": "2/min", "address_write": "2/min"})
def test_open311_is_rate_limited_with_its_own_budgets_in_its_error_format(http, county, app_key):
    from django.core.cache import cache

    cache.clear()
    for _ in range(3):
        assert http.get("/open311/services.json").status_code == 200
    limited = http.get("/open311/services.json")
    assert limited.status_code == 429
    assert limited.json()[0]["code"] == 429 and int(limited["Retry-After"]) >= 1
    limited_xml = http.get("/open311/services.xml")
    assert limited_xml.status_code == 429 and limited_xml["Content-Type"].startswith("text/xml")
    error = ET.fromstring(limited_xml.content).find("error")
    assert error.find("code").text == "429" and error.find("description").text

    # Writes with a valid key count against the key, not against the reads nor the address.
    assert post(http, "json", api_key=app_key, **GOOD).status_code == 201
    assert post(http, "json", api_key=app_key, **GOOD).status_code == 201
    assert post(http, "xml", api_key=app_key, **GOOD).status_code == 429
    _client, other_key = services.api_client_create(actor=None, org=county["gov"], name="另一个应用")
    assert post(http, "json", api_key=other_key, **GOOD).status_code == 201  # another app, its own budget

    # Guessing keys from one address: refused as 403 until the address's budget runs out, then 429.
    assert [post(http, "json", api_key=f"guess{i}", **GOOD).status_code for i in range(3)] == [403, 403, 429]
    assert Ticket.objects.count() == 3


@override_settings(
    REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": {"anon": "1/min", "user": "1/min"}, "NUM_PROXIES": 0},
    OPEN311_RATES={"read": "100/min", "key_write": "100/min", "address_write": "100/min"},
)
def test_the_rest_apis_rates_do_not_limit_open311(http, app_key):
    from django.core.cache import cache

    cache.clear()
    assert [http.get("/open311/services.json").status_code for _ in range(3)] == [200, 200, 200]
    assert [post(http, "json", api_key=app_key, **GOOD).status_code for _ in range(3)] == [201, 201, 201]
