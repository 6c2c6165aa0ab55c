"""Replies, extension requests and their decision, callback, reopening, conclusion, direct answers, conversion."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.core.errors import Conflict, InvalidInput, PermissionDenied, TransitionNotAllowed
from zhengwu.hotline import selectors, services
from zhengwu.hotline.models import ExtensionStatus, KnowledgeArticle, Reply
from zhengwu.hotline.states import TicketStatus
from zhengwu.hotline.tests.factories import dispatched, handling, make_ticket, replied
from zhengwu.workdays import add_workdays

pytestmark = pytest.mark.django_db


def test_the_lead_unit_s_reply_awaits_the_callback(county, handler, operator, frozen):
    ticket = handling(org=county["gov"], unit=county["dept"])
    frozen.advance(days=1)

    services.ticket_reply(actor=handler, ticket=ticket, content="已责令超市下架并退款")

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.REPLIED
    assert ticket.replied_at == frozen.at
    assert ticket in selectors.dispatcher_queue(operator)


def test_an_assisting_unit_s_reply_is_kept_without_moving_the_ticket(county, operator, handler2, frozen):
    ticket = make_ticket(org=county["gov"], actor=operator)
    ticket = services.ticket_dispatch(actor=operator, ticket=ticket, lead=county["dept"], assisting=[county["dept2"]])

    services.ticket_reply(actor=handler2, ticket=ticket, content="协办意见：已配合现场检查")

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DISPATCHED
    assert Reply.objects.get(ticket=ticket).unit == county["dept2"]


def test_an_approved_extension_moves_the_due_date_by_workdays(county, handler, operator, frozen):
    ticket = handling(org=county["gov"], unit=county["dept"])
    due = ticket.due_on

    req = services.extension_request(actor=handler, ticket=ticket, workdays=3, reason="需现场勘验")
    with pytest.raises(Conflict):
        services.extension_request(actor=handler, ticket=ticket, workdays=2, reason="再申请一次")
    with pytest.raises(PermissionDenied):
        services.extension_decide(actor=handler, request=req, approve=True)
    req = services.extension_decide(actor=operator, request=req, approve=True, note="同意")

    ticket.refresh_from_db()
    assert req.status == ExtensionStatus.APPROVED
    assert ticket.due_on == add_workdays(due, 3)
    assert ticket.extension_workdays == 3
    with pytest.raises(Conflict):
        services.extension_decide(actor=operator, request=req, approve=False)


def test_a_refused_extension_leaves_the_due_date(county, handler, operator, frozen):
    ticket = handling(org=county["gov"], unit=county["dept"])
    due = ticket.due_on
    req = services.extension_request(actor=handler, ticket=ticket, workdays=2, reason="人手不足")

    services.extension_decide(actor=operator, request=req, approve=False, note="理由不充分")

    ticket.refresh_from_db()
    assert ticket.due_on == due
    with pytest.raises(InvalidInput):
        services.extension_request(actor=handler, ticket=ticket, workdays=0, reason="零天")


def test_dissatisfied_callback_reopen_and_conclusion(county, handler, operator, frozen):
    ticket = replied(org=county["gov"], unit=county["dept"])

    ticket = services.ticket_callback(actor=operator, ticket=ticket, result="dissatisfied", note="未退款")
    assert ticket.status == TicketStatus.CALLED_BACK
    frozen.set("2026-11-12T09:00")
    ticket = services.ticket_reopen(actor=operator, ticket=ticket, reason="来电人反映仍未退款")

    assert ticket.status == TicketStatus.HANDLING
    assert ticket.reopen_count == 1
    assert ticket.due_on == add_workdays(dt.date(2026, 11, 12), 5)  # the limit counts again in full
    assert ticket.callback == ""
    assert [d.ticket_id for d in selectors.unit_inbox(handler)] == [ticket.pk]

    services.ticket_reply(actor=handler, ticket=ticket, content="已退款，来电人确认")
    ticket.refresh_from_db()
    ticket = services.ticket_callback(actor=operator, ticket=ticket, result="satisfied")
    ticket = services.ticket_conclude(actor=operator, ticket=ticket)

    assert ticket.status == TicketStatus.CONCLUDED
    assert ticket.concluded_at == frozen.at
    assert ticket.callback == "satisfied"
    assert [e.action for e in selectors.ticket_timeline(ticket)] == [
        "ticket.create",
        "ticket.dispatch",
        "ticket.accept",
        "ticket.reply",
        "ticket.callback",
        "ticket.reopen",
        "ticket.reply",
        "ticket.callback",
        "ticket.conclude",
    ]


def test_conclusion_needs_a_callback_first(county, operator, frozen):
    ticket = replied(org=county["gov"], unit=county["dept"])

    with pytest.raises(TransitionNotAllowed):
        services.ticket_conclude(actor=operator, ticket=ticket)


def test_an_operator_answers_a_consultation_from_the_knowledge_base(county, operator, frozen):
    article = KnowledgeArticle.objects.create(
        org=county["gov"], title="社保卡补办", keywords="社保卡 补办", answer="携带身份证到县社保局窗口办理。"
    )
    ticket = make_ticket(
        org=county["gov"], actor=operator, kind="consultation", subtype="procedure", content="社保卡丢了怎么补办"
    )

    assert list(selectors.knowledge_search(org=county["gov"], query="社保卡")) == [article]
    ticket = services.ticket_answer_directly(actor=operator, ticket=ticket, article=article)

    assert ticket.status == TicketStatus.CONCLUDED
    assert ticket.answered_directly and ticket.lead_unit is None
    assert ticket.answer == article.answer
    article.refresh_from_db()
    assert article.use_count == 1


def test_a_ticket_that_is_a_service_complaint_is_converted_keeping_the_hall_s_reference(county, operator, frozen):
    ticket = make_ticket(org=county["gov"], actor=operator, kind="complaint", content="政务大厅窗口人员态度差")

    with pytest.raises(InvalidInput) as missing:
        services.ticket_convert(actor=operator, ticket=ticket, target="service_complaint")
    assert missing.value.detail == {"target_ref": ["required"]}
    ticket = services.ticket_convert(
        actor=operator, ticket=ticket, target="service_complaint", target_ref="TS-2026-0042", reason="属窗口服务投诉"
    )

    assert ticket.status == TicketStatus.CONVERTED
    assert (ticket.converted_to, ticket.converted_ref) == ("service_complaint", "TS-2026-0042")
    assert ticket.created_at == frozen.at  # the date received stays the ticket's
    with pytest.raises(TransitionNotAllowed):
        services.ticket_dispatch(actor=operator, ticket=ticket, lead=county["dept"])


def test_dispatched_tickets_cannot_be_answered_directly(county, operator, frozen):
    ticket = dispatched(org=county["gov"], unit=county["dept"])

    with pytest.raises(TransitionNotAllowed):
        services.ticket_answer_directly(actor=operator, ticket=ticket, answer="直接答复")


def test_each_action_moves_only_from_its_own_states(county, operator, handler, frozen):
    fresh = make_ticket(org=county["gov"], actor=operator)
    with pytest.raises(TransitionNotAllowed):
        services.ticket_conclude(actor=operator, ticket=fresh)  # new → concluded only by a direct answer

    ticket = replied(org=county["gov"], unit=county["dept"])
    ticket = services.ticket_callback(actor=operator, ticket=ticket, result="dissatisfied")
    with pytest.raises(TransitionNotAllowed):
        services.ticket_accept(actor=handler, ticket=ticket)  # accepting must not reopen it
    with pytest.raises(TransitionNotAllowed):
        services.ticket_answer_directly(actor=operator, ticket=ticket, answer="改为直接答复")


def test_a_directly_answered_ticket_cannot_be_reopened_to_a_unit(county, operator, frozen):
    ticket = make_ticket(org=county["gov"], actor=operator, kind="consultation", subtype="policy")
    ticket = services.ticket_answer_directly(actor=operator, ticket=ticket, answer="见公告")

    with pytest.raises(InvalidInput):
        services.ticket_reopen(actor=operator, ticket=ticket, reason="不满意")
