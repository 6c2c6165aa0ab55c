"""The hotline staff pages: the operator's call form, the caller history, the queue, inbox and ticket actions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhengwu.hotline.models import KnowledgeArticle, Ticket
from zhengwu.hotline.states import TicketStatus
from zhengwu.hotline.tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _login(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def test_the_call_form_is_ready_for_the_keyboard(county, operator, frozen):
    body = _login(operator).get(reverse("staff_hotline:call_new")).content.decode()

    assert 'name="caller_phone"' in body and "autofocus" in body
    assert "data-enter-submits" in body
    assert "3 投诉" in body  # a kind is one digit away


def test_the_operator_registers_a_call_and_lands_on_the_ticket(county, operator, frozen):
    client = _login(operator)

    response = client.post(
        reverse("staff_hotline:call_new"),
        {
            "caller_phone": "13800138000",
            "caller_name": "张三",
            "kind": "complaint",
            "content": "楼下烧烤店油烟扰民",
            "urgency": "normal",
            "org": county["gov"].pk,
        },
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "staff_hotline:ticket", kwargs={"pk": ticket.pk}
    )
    page = client.get(response["Location"]).content.decode()
    assert ticket.ref in page and "138****8000" in page and "13800138000" not in page
    assert "登记" in page  # the timeline


def test_the_caller_s_history_and_the_duplicate_warning_appear_by_phone_number(county, operator, frozen):
    earlier = make_ticket(org=county["gov"], actor=operator, content="小区门口下水道堵塞，污水漫到路面")
    client = _login(operator)

    history = client.get(reverse("staff_hotline:caller_history"), {"caller_phone": "13800138000"}).content.decode()
    warning = client.get(
        reverse("staff_hotline:caller_history"),
        {"caller_phone": "13800138000", "content": "小区门口下水道又堵塞了", "kind": "complaint"},
    ).content.decode()

    assert earlier.ref in history
    assert "duplicate-warning" in warning and earlier.ref in warning


def test_knowledge_lookup(county, operator, frozen):
    KnowledgeArticle.objects.create(org=county["gov"], title="社保卡补办", keywords="社保卡", answer="带身份证到社保局")

    body = _login(operator).get(reverse("staff_hotline:knowledge"), {"q": "社保卡"}).content.decode()

    assert "带身份证到社保局" in body


def test_dispatch_return_redispatch_reply_callback_reopen_conclude_through_the_pages(
    county, operator, handler, handler2, frozen
):
    ticket = make_ticket(org=county["gov"], actor=operator)
    op, unit, unit2 = _login(operator), _login(handler), _login(handler2)

    def act(client, action, **data):
        return client.post(reverse("staff_hotline:ticket_action", kwargs={"pk": ticket.pk, "action": action}), data)

    assert act(op, "dispatch", lead=county["dept"].code).status_code == 302
    assert ticket.ref in unit.get(reverse("staff_hotline:inbox")).content.decode()
    assert act(unit, "return", reason="不属本单位职责").status_code == 302
    assert ticket.ref in op.get(reverse("staff_hotline:queue")).content.decode()
    assert act(op, "dispatch", lead=county["dept2"].code).status_code == 302
    assert act(unit2, "accept").status_code == 302
    assert act(unit2, "reply", content="已现场处理").status_code == 302
    assert act(op, "callback", result="dissatisfied", note="仍有油烟").status_code == 302
    assert act(op, "reopen", reason="来电人不满意").status_code == 302
    assert act(unit2, "reply", content="已责令安装净化器").status_code == 302
    assert act(op, "callback", result="satisfied").status_code == 302
    assert act(op, "conclude").status_code == 302

    ticket.refresh_from_db()
    assert (ticket.status, ticket.return_count, ticket.reopen_count) == (TicketStatus.CONCLUDED, 1, 1)


def test_a_refused_action_shows_the_message_with_its_status(county, operator, handler2, frozen):
    ticket = make_ticket(org=county["gov"], actor=operator)
    url = reverse("staff_hotline:ticket_action", kwargs={"pk": ticket.pk, "action": "conclude"})

    response = _login(operator).post(url)
    other = _login(handler2).post(reverse("staff_hotline:ticket_action", kwargs={"pk": ticket.pk, "action": "accept"}))

    assert response.status_code == 409
    assert "action-error" in response.content.decode()
    assert other.status_code == 404  # not dispatched to their unit: they cannot even see it


def test_supervision_and_cards_pages(county, supervisor, frozen):
    from zhengwu.hotline.tests.factories import dispatched

    dispatched(org=county["gov"], unit=county["dept"])
    frozen.set("2026-12-02T10:00")
    client = _login(supervisor)

    assert "chip-bad" in client.get(reverse("staff_hotline:supervision")).content.decode()
    response = client.post(reverse("staff_hotline:cards"), {"month": "2026-11", "org": county["gov"].pk})
    assert response.status_code == 302
    assert client.get(reverse("staff_hotline:cards")).status_code == 200


def test_pages_need_the_hotline_roles(county, handler):
    client = _login(handler)
    assert client.get(reverse("staff_hotline:call_new")).status_code == 403
    assert client.get(reverse("staff_hotline:queue")).status_code == 403
    assert client.get(reverse("staff_hotline:inbox")).status_code == 200


def test_operators_keep_the_knowledge_base(county, operator, handler, frozen):
    client = _login(operator)

    created = client.post(
        reverse("staff_hotline:knowledge_list"),
        {"title": "居住证办理", "keywords": "居住证", "kind": "consultation", "answer": "持身份证到派出所申领"},
    )
    article = KnowledgeArticle.objects.get()
    edited = client.post(
        reverse("staff_hotline:knowledge_edit", kwargs={"pk": article.pk}),
        {
            "title": "居住证办理",
            "keywords": "居住证 暂住",
            "kind": "consultation",
            "answer": "持身份证和居住证明到派出所申领",
        },
    )

    assert created.status_code == edited.status_code == 302
    article.refresh_from_db()
    assert article.answer == "持身份证和居住证明到派出所申领" and not article.is_active  # unchecked box: stopped
    assert "居住证办理" in client.get(reverse("staff_hotline:knowledge_list"), {"q": "居住证"}).content.decode()
    assert _login(handler).get(reverse("staff_hotline:knowledge_list")).status_code == 403


def test_the_home_page_lists_the_unit_s_tickets_with_their_state(county, handler, frozen):
    from zhengwu.hotline.tests.factories import dispatched

    ticket = dispatched(org=county["gov"], unit=county["dept"])
    frozen.set("2026-11-17T09:00")  # past the due date (Mon 16th)

    body = _login(handler).get(reverse("staff:home")).content.decode()

    assert ticket.ref in body
    assert "chip-bad" in body
