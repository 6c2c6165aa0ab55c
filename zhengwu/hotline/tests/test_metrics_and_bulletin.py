"""The hotline metrics of spec/service-metrics.md, and the monthly bulletin built on them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from zhengwu.core.errors import PermissionDenied
from zhengwu.hotline import services
from zhengwu.hotline.bulletin import bulletin_docx
from zhengwu.hotline.metrics import hotline_metrics, unit_ranking
from zhengwu.hotline.tests.factories import dispatched, make_ticket, replied

pytestmark = pytest.mark.django_db
OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


@pytest.fixture
def october(county, operator, handler, frozen):
    """Four October tickets: one answered directly, one concluded satisfied on time, one returned, one open."""
    frozen.set("2026-10-12T09:00")
    direct = make_ticket(org=county["gov"], actor=operator, kind="consultation", subtype="policy", channel="web")
    services.ticket_answer_directly(actor=operator, ticket=direct, answer="见公告")
    done = replied(org=county["gov"], unit=county["dept"], caller_phone="13700000001")
    done = services.ticket_callback(actor=operator, ticket=done, result="satisfied")
    services.ticket_conclude(actor=operator, ticket=done)
    back = dispatched(org=county["gov"], unit=county["dept"], caller_phone="13700000002")
    services.ticket_return(actor=handler, ticket=back, reason="非本单位职责")
    dispatched(org=county["gov"], unit=county["dept2"], caller_phone="13700000003", kind="help", subtype="road")
    frozen.set("2026-11-02T09:00")


def test_the_month_s_figures(county, october):
    m = hotline_metrics(org=county["gov"], first=OCT[0], last=OCT[1])

    assert m["tickets"] == 4
    assert m["tickets_by_kind"] == {"consultation": 1, "complaint": 2, "help": 1}
    assert m["tickets_by_channel"] == {"web": 1, "phone": 3}
    assert (m["answered_directly"], m["dispatched"], m["returns"]) == (1, 3, 1)
    assert m["ticket_concluded_rate"] == 0.5
    assert m["ticket_on_time_rate"] == 1.0
    assert m["ticket_satisfaction_rate"] == 1.0
    assert (
        hotline_metrics(org=county["gov"], first=dt.date(2026, 9, 1), last=dt.date(2026, 9, 30))[
            "ticket_concluded_rate"
        ]
        is None
    )  # nothing received: a rate over 0 is null


def test_the_unit_ranking_and_the_bulletin(county, october, supervisor, handler):
    ranking = unit_ranking(org=county["gov"], first=OCT[0], last=OCT[1])
    data = bulletin_docx(actor=supervisor, org=county["gov"], month=dt.date(2026, 10, 1))

    assert {r["unit"] for r in ranking} == {county["dept"].name, county["dept2"].name}
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "2026年10月" in text and "受理群众诉求4件" in text and "按期办结率100.00%" in text
    with pytest.raises(PermissionDenied):
        bulletin_docx(actor=handler, org=county["gov"], month=dt.date(2026, 10, 1))


def test_the_bulletin_downloads_from_the_cards_page_and_the_cli(county, october, supervisor, tmp_path, capsys):
    from django.test import Client

    from zhengwu.cli.common import run
    from zhengwu.cli.main import build

    client = Client()
    client.force_login(supervisor)
    response = client.get("/staff/hotline/bulletin/", {"month": "2026-10"})
    out = tmp_path / "b.docx"
    status = run(
        build(),
        [
            "--as",
            supervisor.username,
            "hotline",
            "bulletin",
            "--org",
            county["gov"].code,
            "--month",
            "2026-10",
            "-o",
            str(out),
        ],
    )

    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")
    assert status == 0 and out.read_bytes()[:2] == b"PK"
    assert client.get("/staff/hotline/bulletin/", {"month": "2026-99"}).status_code == 400
