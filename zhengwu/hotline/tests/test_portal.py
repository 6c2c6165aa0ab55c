"""The public hotline pages: the web form and mayor's mailbox give a query code; progress is shown by it."""

from __future__ import annotations

import pytest
from django.test import Client

from zhengwu.hotline.models import Channel, Ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("path", "channel"), [("/hotline/web/", Channel.WEB), ("/hotline/mailbox/", Channel.MAILBOX)])
def test_a_citizen_submits_and_follows_progress_by_query_code(county, frozen, path, channel):
    client = Client()

    response = client.post(
        path,
        {
            "kind": "suggestion",
            "content": "建议在岚山大道增设公交站",
            "caller_name": "赵六",
            "caller_phone": "13612345678",
        },
    )

    assert response.status_code == 201
    ticket = Ticket.objects.get()
    assert ticket.channel == channel and ticket.org == county["gov"]
    assert ticket.query_code[:5] in response.content.decode()
    progress = client.get("/hotline/progress/", {"code": ticket.query_code.lower()}).content.decode()
    assert ticket.ref in progress and "待处理" in progress
    assert "13612345678" not in progress


def test_bad_submissions_and_unknown_codes(county, frozen):
    client = Client()

    bad = client.post("/hotline/web/", {"kind": "complaint", "content": "", "caller_name": "x", "caller_phone": "123"})
    unknown = client.get("/hotline/progress/", {"code": "ABCDE-FGHJK"})

    assert bad.status_code == 400 and Ticket.objects.count() == 0
    assert unknown.status_code == 404
    assert client.get("/hotline/").status_code == 200
