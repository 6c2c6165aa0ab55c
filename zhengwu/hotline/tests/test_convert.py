"""Converting a ticket into an information-disclosure request creates the request in the disclosure register,
received on the ticket's date; a service-hall complaint keeps the hall's reference."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhengwu.core.errors import InvalidInput
from zhengwu.core.models import AuditEvent
from zhengwu.disclosure.models import DisclosureRequest
from zhengwu.hotline import services
from zhengwu.hotline.states import TicketStatus
from zhengwu.hotline.tests.factories import make_ticket
from zhengwu.orgs.tests.factories import make_county

pytestmark = pytest.mark.django_db


def _disclosure_ticket(county, operator, **kwargs):
    values = {
        "kind": "consultation",
        "subtype": "",
        "caller_name": "王小红",
        "caller_phone": "13800138000",
        "content": "申请公开2025年县财政预算执行情况",
        **kwargs,
    }
    return make_ticket(org=county["gov"], actor=operator, **values)


def test_a_disclosure_request_is_created_received_on_the_ticket_s_date(county, operator, frozen):
    ticket = _disclosure_ticket(county, operator)
    frozen.advance(days=3)  # the operator converts it three days after the call

    ticket = services.ticket_convert(
        actor=operator, ticket=ticket, target="disclosure_request", target_org=county["dept"], reason="属依申请公开"
    )

    request = DisclosureRequest.objects.get(org=county["dept"])
    assert ticket.status == TicketStatus.CONVERTED
    assert (ticket.converted_to, ticket.converted_ref) == ("disclosure_request", request.ref)
    assert request.received_on.isoformat() == "2026-11-09" and request.submitted_on.isoformat() == "2026-11-09"
    assert request.applicant_name == "王小红" and request.contact_phone == "13800138000"
    assert request.subject == "申请公开2025年县财政预算执行情况"
    assert ticket.ref in request.purpose
    assert request.due_on is not None  # its own statutory clock runs from the day received
    assert AuditEvent.objects.filter(action="disclosure.request_register", object_id=str(request.pk)).count() == 1
    convert = AuditEvent.objects.get(action="ticket.convert", object_id=str(ticket.pk))
    assert convert.actor_id == operator.pk and convert.new["converted_ref"] == request.ref


def test_without_an_applicant_nothing_is_created_and_the_ticket_stays(county, operator, frozen):
    ticket = _disclosure_ticket(county, operator, caller_name="")

    with pytest.raises(InvalidInput) as refused:
        services.ticket_convert(actor=operator, ticket=ticket, target="disclosure_request")

    assert "applicant_name" in refused.value.detail
    assert not DisclosureRequest.objects.exists()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NEW and ticket.converted_ref == ""

    ticket = services.ticket_convert(
        actor=operator, ticket=ticket, target="disclosure_request", applicant_name="匿名来电人的代理人李四"
    )
    assert DisclosureRequest.objects.get().applicant_name == "匿名来电人的代理人李四"


def test_a_request_cannot_be_sent_outside_the_hotline_s_tree(county, operator, frozen):
    other = make_county("丙县")
    ticket = _disclosure_ticket(county, operator)

    with pytest.raises(InvalidInput) as refused:
        services.ticket_convert(actor=operator, ticket=ticket, target="disclosure_request", target_org=other["gov"])

    assert refused.value.detail == {"target_org": ["out_of_scope"]}
    assert not DisclosureRequest.objects.exists()


def test_the_ticket_page_converts_and_names_the_missing_field(county, operator, frozen):
    client = Client()
    client.force_login(operator)
    nameless = _disclosure_ticket(county, operator, caller_name="")
    url = reverse("staff_hotline:ticket_action", kwargs={"pk": nameless.pk, "action": "convert"})

    refused = client.post(url, {"target": "disclosure_request"})
    assert refused.status_code == 400
    assert "申请人姓名" in refused.content.decode()

    done = client.post(
        url, {"target": "disclosure_request", "applicant_name": "赵六", "target_org": county["dept"].code}
    )
    assert done.status_code == 302
    assert DisclosureRequest.objects.get(org=county["dept"]).applicant_name == "赵六"


def test_the_api_converts_into_a_disclosure_request(county, operator, frozen):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(operator)
    ticket = _disclosure_ticket(county, operator)

    response = api.post(
        f"/api/v1/hotline/tickets/{ticket.pk}/convert/", {"target": "disclosure_request"}, format="json"
    )

    assert response.status_code == 200, response.json()
    request = DisclosureRequest.objects.get(org=county["gov"])
    assert response.json()["converted_ref"] == request.ref and response.json()["status"] == "converted"
