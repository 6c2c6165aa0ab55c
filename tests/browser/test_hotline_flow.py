"""12345 in a real browser: the operator registers a call by keyboard alone, then the ticket goes through dispatch,
return, redispatch, reply, a dissatisfied callback, reopening and conclusion."""

from __future__ import annotations

import pytest

from zhengwu.hotline import services
from zhengwu.hotline.models import Ticket
from zhengwu.hotline.states import TicketStatus
from zhengwu.orgs.models import Role, Scope
from zhengwu.orgs.tests.factories import make_county, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13800138000"
WORDS = "楼下烧烤店油烟扰民，晚上十一点后仍在营业"


@pytest.fixture
def people(transactional_db):  # type: ignore[no-untyped-def]
    county = make_county("青岚县")
    return {
        "county": county,
        "operator": make_staff(org=county["gov"], role=Role.HOTLINE_OPERATOR, scope=Scope.SELF),
        "handler": make_staff(org=county["dept"], role=Role.UNIT_HANDLER, scope=Scope.SELF),
        "handler2": make_staff(org=county["dept2"], role=Role.UNIT_HANDLER, scope=Scope.SELF),
    }


def test_a_call_registered_by_keyboard_goes_round_the_whole_loop(live_server, browser, signed_in, people, shot):
    county = people["county"]
    earlier = services.ticket_create(
        actor=None,
        org=county["gov"],
        channel="phone",
        kind="complaint",
        content="楼下烧烤店油烟扰民",
        caller_phone=PHONE,
    ).ticket
    base = live_server.url
    op = signed_in(people["operator"].username)
    errors: list[str] = []
    op.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # The operator: the phone field has the focus; the caller's words are typed, everything else is a keystroke.
    op.goto(f"{base}/staff/hotline/call/")
    extra = 0

    def key(name: str) -> None:
        nonlocal extra
        extra += 1
        op.keyboard.press(name)

    op.keyboard.type(PHONE)
    op.get_by_test_id("caller-history").get_by_text(earlier.ref).wait_for()  # history appears while they speak
    key("Tab")
    op.keyboard.type("王先生")
    key("Tab")
    key("3")  # 3 投诉
    key("Tab")
    op.keyboard.type(WORDS)
    op.get_by_test_id("duplicate-warning").wait_for()  # the same matter within 30 days
    shot(op, "hotline_call_form")
    key("Enter")
    op.wait_for_url(f"{base}/staff/hotline/tickets/**")
    assert extra <= 10
    ticket = Ticket.objects.exclude(pk=earlier.pk).get()
    assert (ticket.kind, ticket.caller_name, ticket.content) == ("complaint", "王先生", WORDS)
    assert ticket.duplicate_of_id == earlier.pk

    def act(page, form_button: str, **fields: str) -> None:  # type: ignore[no-untyped-def]
        page.goto(f"{base}/staff/hotline/tickets/{ticket.pk}/")
        for label, value in fields.items():
            page.get_by_label(label, exact=True).fill(value)
        page.get_by_role("button", name=form_button, exact=True).click()
        page.get_by_role("status").first.wait_for()

    act(op, "派单", **{"主办单位（机构代码）": county["dept"].code})
    unit = signed_in(people["handler"].username)
    act(unit, "退回派单员", 退单理由="不属本单位职责，应由自然资源局处理")
    act(op, "派单", **{"主办单位（机构代码）": county["dept2"].code})
    unit2 = signed_in(people["handler2"].username)
    unit2.goto(f"{base}/staff/hotline/inbox/")
    unit2.get_by_role("link", name=ticket.ref).click()
    unit2.get_by_role("button", name="签收", exact=True).click()
    unit2.get_by_role("status").first.wait_for()
    act(unit2, "提交答复", 答复内容="已约谈店主，限期安装油烟净化器")
    op.goto(f"{base}/staff/hotline/tickets/{ticket.pk}/")
    op.get_by_label("不满意").check()
    op.get_by_role("button", name="记录回访").click()
    op.get_by_role("status").first.wait_for()
    act(op, "退回承办单位重办", 重办理由="来电人反映油烟依旧")
    act(unit2, "提交答复", 答复内容="净化器已安装并验收")
    op.goto(f"{base}/staff/hotline/tickets/{ticket.pk}/")
    op.get_by_label("满意", exact=True).check()
    op.get_by_role("button", name="记录回访").click()
    op.get_by_role("status").first.wait_for()
    act(op, "办结")

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CONCLUDED
    assert (ticket.return_count, ticket.reopen_count, ticket.callback) == (1, 1, "satisfied")
    timeline = op.get_by_test_id("timeline").inner_text()
    for step in ("登记", "派单", "退单", "签收", "答复", "回访", "重办", "办结"):
        assert step in timeline
    shot(op, "hotline_ticket_concluded")
    assert errors == [], "no script or CSP errors in the console"
