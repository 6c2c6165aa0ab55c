"""Information disclosure in a real browser: a citizen files on a phone and gets a query code; the officer confirms
receipt, asks for a clarification, receives it, consults a third party and replies `partial`; the workbench shows the
right due date at each step; the citizen sees the reply and the documents."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

from zhengwu.core.clock import SHANGHAI
from zhengwu.disclosure.models import DisclosureRequest
from zhengwu.orgs.models import Role, Scope
from zhengwu.orgs.tests.factories import make_county, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def today():  # type: ignore[no-untyped-def]
    """A movable frozen day for the whole process (the live server runs in a thread of this one)."""
    state = {"day": dt.date(2025, 9, 26)}
    with mock.patch.multiple(
        "zhengwu.core.clock",
        today=lambda: state["day"],
        now=lambda: dt.datetime.combine(state["day"], dt.time(10), tzinfo=SHANGHAI),
    ):
        yield state


def _act(page, action: str, fields: dict[str, str] | None = None) -> None:  # type: ignore[no-untyped-def]
    form = page.locator(f'form[data-action="{action}"]')
    form.locator("xpath=..").locator("summary").click()
    for label, value in (fields or {}).items():
        form.get_by_label(label).fill(value)
    form.locator("button[type=submit]").click()
    page.get_by_role("status").filter(has_text="已完成").wait_for()


def _due_on_workbench(page, base: str, ref: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/staff/disclosure/")
    return page.locator(f'tr[data-ref="{ref}"] time').first.get_attribute("datetime")


def test_citizen_files_officer_handles_citizen_sees_the_reply(live_server, browser, signed_in, phone, today, shot):
    county = make_county("青岚县")
    dept = county["dept"]
    officer = make_staff(org=dept, role=Role.DISCLOSURE_OFFICER, scope=Scope.SELF)
    base = live_server.url

    # The citizen, on a phone, files a request and gets a query code (Friday 26 Sep 2025).
    phone.goto(f"{base}/disclosure/apply/")
    phone.get_by_label("向哪个机关申请").select_option(label=dept.name)
    phone.get_by_label("姓名或名称").fill("王小明")
    phone.get_by_label("联系电话").fill("13800001111")
    phone.get_by_label("所需政府信息的名称、文号或便于查询的其他特征性描述").fill("城区供水管网改造项目的环评批复")
    phone.get_by_role("button", name="提交申请").click()
    code = phone.get_by_test_id("query-code").inner_text().replace("-", "")
    assert len(code) == 10
    shot(phone, "disclosure_filed_phone")
    ref = DisclosureRequest.objects.get().ref

    # The officer confirms receipt the same day: 20 workdays across National Day (28 Sep and 11 Oct are make-up
    # workdays, 1–8 Oct off) → 30 Oct 2025.
    page = signed_in(officer.username)
    page.goto(f"{base}/staff/disclosure/")
    page.get_by_role("link", name=ref).click()
    _act(page, "acknowledge")
    assert _due_on_workbench(page, base, ref) == "2025-10-30"

    # Monday 29 Sep: a clarification notice (within 7 workdays of receipt).
    today["day"] = dt.date(2025, 9, 29)
    page.get_by_role("link", name=ref).click()
    _act(page, "clarify", {"需补正的内容": "请写明项目名称或批复文号"})
    assert "待补正" in page.get_by_test_id("status").inner_text()

    # Friday 10 Oct: the clarified request arrives; the limit restarts from it → 6 Nov 2025.
    today["day"] = dt.date(2025, 10, 10)
    _act(page, "receive_clarification", {"补正后的申请内容": "青环评〔2024〕17号批复"})
    assert _due_on_workbench(page, base, ref) == "2025-11-06"

    # 13–20 Oct: a third party is consulted; the 5 workdays of (13, 20 Oct] are paused → 13 Nov 2025.
    today["day"] = dt.date(2025, 10, 13)
    page.get_by_role("link", name=ref).click()
    _act(page, "consult", {"第三方": "青岚县自来水有限公司"})
    today["day"] = dt.date(2025, 10, 20)
    _act(page, "end_consultation", {"第三方意见": "同意公开，报价部分除外"})
    assert _due_on_workbench(page, base, ref) == "2025-11-13"
    shot(page, "disclosure_workbench")

    # 21 Oct: the reply, partial disclosure.
    today["day"] = dt.date(2025, 10, 21)
    page.get_by_role("link", name=ref).click()
    form = page.locator('form[data-action="reply"]')
    form.locator("xpath=..").locator("summary").click()
    form.get_by_label("办理结果").select_option("partial")
    form.get_by_label("法律依据").fill("《中华人民共和国政府信息公开条例》第三十七条")
    form.get_by_label("提供的信息").fill("环评批复（隐去报价）")
    form.locator("button[type=submit]").click()
    page.get_by_role("status").filter(has_text="已完成").wait_for()
    assert "已答复" in page.get_by_test_id("status").inner_text()
    shot(page, "disclosure_request_replied")

    # The citizen follows with the query code: the reply and the documents issued.
    phone.goto(f"{base}/disclosure/progress/")
    phone.get_by_label("查询码").fill(code)
    phone.get_by_role("button", name="查询").click()
    assert "部分公开" in phone.get_by_test_id("outcome").inner_text()
    docs = phone.get_by_test_id("documents").inner_text()
    for title in ("登记回执", "补正告知书", "征求意见书", "政府信息公开申请答复书"):
        assert title in docs
    with phone.expect_download() as download:
        phone.get_by_role("link", name="政府信息公开申请答复书").click()
    assert download.value.suggested_filename.endswith(".docx")
    shot(phone, "disclosure_progress_phone")
