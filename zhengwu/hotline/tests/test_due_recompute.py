"""Open tickets counted across a provisional year get their due date recounted when that year's notice loads."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.core.models import AuditEvent
from zhengwu.hotline import services
from zhengwu.hotline.tests.factories import make_ticket
from zhengwu.workdays.notice import parse_notice
from zhengwu.workdays.services import calendar_load
from zhengwu.workdays.tests.conftest import NOTICE_2027

pytestmark = pytest.mark.django_db


def test_loading_the_2027_notice_moves_an_open_ticket_s_due_date(county, operator, frozen):
    frozen.set("2027-02-01T10:00")
    open_ticket = make_ticket(org=county["gov"], actor=operator)
    done = make_ticket(
        org=county["gov"], actor=operator, kind="consultation", subtype="policy", caller_phone="13700000000"
    )
    services.ticket_answer_directly(actor=operator, ticket=done, answer="见公告")
    assert open_ticket.due_on == dt.date(2027, 2, 10)  # provisional: only 除夕 to 初三 off

    calendar_load(actor=None, notice=parse_notice(NOTICE_2027, source="2027.yaml"))

    open_ticket.refresh_from_db()
    done.refresh_from_db()
    assert open_ticket.due_on == dt.date(2027, 2, 15)  # the notice's Spring Festival is 5–13 Feb
    assert AuditEvent.objects.filter(action="ticket.due_recompute", object_id=str(open_ticket.pk)).count() == 1
    assert not AuditEvent.objects.filter(action="ticket.due_recompute", object_id=str(done.pk)).exists()
