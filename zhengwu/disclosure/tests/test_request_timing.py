"""The reply limit of a request (条例第三十三条) from its recorded steps: 20 workdays, restart after clarification,
pauses for consultation and fees, extensions, and a late reply that stays late."""

from __future__ import annotations

import pytest

from zhengwu.core.errors import Conflict, InvalidInput
from zhengwu.disclosure.models import Reply
from zhengwu.disclosure.services import requests as svc
from zhengwu.disclosure.services.clock import request_clock
from zhengwu.disclosure.states import Outcome, RequestStatus
from zhengwu.disclosure.tests.factories import d, frozen, make_officer, make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept(county):
    return county["dept"]


@pytest.fixture
def officer(dept):
    return make_officer(dept)


def test_reply_due_twenty_workdays_after_receipt_skipping_national_day_2025(dept, officer):
    # given a request received on Friday 26 Sep 2025 (28 Sep and 11 Oct are make-up workdays, 1–8 Oct off)
    request = make_request(org=dept, actor=officer, received_on=d("2025-09-26"))
    # then 20 workdays: 28, 29, 30 Sep, 9, 10, 11, 13–17, 20–24, 27–30 Oct → 30 Oct
    assert request.due_on == d("2025-10-30")
    assert request_clock(request).due_on == request.due_on


def test_clarification_must_be_sent_within_seven_workdays(dept, officer):
    request = make_request(org=dept, actor=officer, received_on=d("2025-09-26"))
    # 7 workdays after 26 Sep 2025 across the holiday: 28, 29, 30 Sep, 9, 10, 11, 13 Oct
    with frozen(d("2025-10-14")), pytest.raises(InvalidInput) as exc:
        svc.request_ask_clarification(request=request, actor=officer, items="请明确道路名称")
    assert exc.value.code == "clarification_too_late"
    with frozen(d("2025-10-13")):
        request = svc.request_ask_clarification(request=request, actor=officer, items="请明确道路名称")
    assert request.status == RequestStatus.CLARIFYING


def test_clarification_restarts_the_limit_from_the_clarified_day_across_national_day_2026(dept, officer):
    # given a request received 25 Sep 2026, clarification asked 28 Sep
    request = make_request(org=dept, actor=officer, received_on=d("2026-09-25"))
    with frozen(d("2026-09-28")):
        request = svc.request_ask_clarification(request=request, actor=officer, items="请写明所需文件的文号")
    # when the clarified request arrives on 30 Sep 2026, just before the 1–7 Oct holiday
    with frozen(d("2026-09-30")):
        request = svc.request_receive_clarification(
            request=request, actor=officer, clarified_subject="蓝办发〔2024〕3号"
        )
    # then 20 workdays count again from 30 Sep: 8, 9, 10 (Sat make-up), 12–16, 19–23, 26–30 Oct, 2, 3 Nov
    assert request.status == RequestStatus.PROCESSING
    assert request.due_on == d("2026-11-03")
    lines = request_clock(request).explain().lines()
    assert any("重新起算" in line and "2026-09-30" in line for line in lines)
    assert any("国庆" in line for line in lines)


def test_no_clarification_by_the_deadline_concludes_the_request(dept, officer):
    request = make_request(org=dept, actor=officer, received_on=d("2025-03-03"))
    with frozen(d("2025-03-04")):
        request = svc.request_ask_clarification(
            request=request, actor=officer, items="请明确时间范围", deadline=d("2025-03-14")
        )
    with frozen(d("2025-03-14")), pytest.raises(Conflict):
        svc.request_close_unclarified(request=request, actor=officer)
    with frozen(d("2025-03-17")):
        request = svc.request_close_unclarified(request=request, actor=officer)
    assert request.status == RequestStatus.REPLIED
    assert request.outcome == Outcome.OTHER_NO_CLARIFICATION
    assert request.replied_on == d("2025-03-17")


def test_consultation_pauses_the_clock(dept, officer):
    # given a request received Mon 3 Mar 2025: due 31 Mar without pauses
    request = make_request(org=dept, actor=officer, received_on=d("2025-03-03"))
    assert request.due_on == d("2025-03-31")
    # when a third party is consulted from 10 Mar to 14 Mar
    with frozen(d("2025-03-10")):
        request = svc.request_start_consultation(request=request, actor=officer, third_party="某建设公司")
    assert request.status == RequestStatus.CONSULTING
    with frozen(d("2025-03-14")):
        request = svc.request_end_consultation(request=request, actor=officer, opinion="不同意公开报价部分")
    # then the due date moves by the 4 workdays of (10 Mar, 14 Mar]: 1, 2, 3, 7 Apr (4–6 Apr Qingming)
    assert request.due_on == d("2025-04-07")
    assert any("暂停" in line for line in request_clock(request).explain().lines())


def test_consultation_pause_is_capped_at_the_third_partys_fifteen_workdays(dept, officer):
    request = make_request(org=dept, actor=officer, received_on=d("2025-03-03"))
    with frozen(d("2025-03-10")):
        request = svc.request_start_consultation(request=request, actor=officer, third_party="某建设公司")
    # the third party's 15 workdays end on 31 Mar; the answer comes on 10 Apr
    with frozen(d("2025-04-10")):
        request = svc.request_end_consultation(request=request, actor=officer)
    # only (10 Mar, 31 Mar] = 15 workdays are paused: due 31 Mar + 15 workdays (4 Apr Qingming off) = 22 Apr
    assert request.due_on == d("2025-04-22")


def test_extension_up_to_twenty_workdays_with_the_approving_head(dept, officer):
    request = make_request(org=dept, actor=officer, received_on=d("2025-03-03"))
    with frozen(d("2025-03-25")):
        request = svc.request_extend(
            request=request, actor=officer, workdays=15, approved_by="李主任", reason="需调取档案"
        )
    assert request.due_on == d("2025-04-22")  # 31 Mar + 15 workdays, 4 Apr off
    with frozen(d("2025-03-26")), pytest.raises(InvalidInput) as exc:
        svc.request_extend(request=request, actor=officer, workdays=6, approved_by="李主任", reason="再延")
    assert exc.value.code == "extension_too_long"
    assert request.documents.filter(kind="extension").count() == 1


def test_extension_after_the_due_date_is_refused(dept, officer):
    request = make_request(org=dept, actor=officer, received_on=d("2025-03-03"))
    with frozen(d("2025-04-01")), pytest.raises(InvalidInput) as exc:
        svc.request_extend(request=request, actor=officer, workdays=5, approved_by="李主任", reason="需调取档案")
    assert exc.value.code == "extension_too_late"


def test_unpaid_fee_notice_pauses_then_concludes_fee_unpaid(dept, officer):
    # given the applicant's 11th request this month (the first ten are free)
    for i in range(10):
        make_request(org=dept, actor=officer, received_on=d("2025-03-03"), ref=f"A-{i:02d}")
    request = make_request(org=dept, actor=officer, received_on=d("2025-03-04"), ref="B-11")
    assert svc.request_nth_in_month(request) == 11
    with frozen(d("2025-03-05")):
        request = svc.fee_notice_issue(request=request, actor=officer, method="per_request")
    assert request.status == RequestStatus.AWAITING_FEE
    notice = request.fee_notices.get()
    assert notice.amount == 100
    assert notice.pay_by == d("2025-04-02")  # 20 workdays after 5 Mar 2025
    # while unpaid the clock is paused: received 4 Mar (due 1 Apr), on 20 Mar the due date has moved by the
    # 11 workdays of (5 Mar, 20 Mar] to 17 Apr (4 Apr Qingming off)
    assert request.due_on == d("2025-04-01")
    with frozen(d("2025-03-20")):
        assert request_clock(request).due_on == d("2025-04-17")
    with frozen(d("2025-04-02")), pytest.raises(Conflict):
        svc.request_close_fee_unpaid(request=request, actor=officer)
    with frozen(d("2025-04-03")):
        request = svc.request_close_fee_unpaid(request=request, actor=officer)
    assert request.outcome == Outcome.OTHER_FEE_UNPAID
    assert request.status == RequestStatus.REPLIED


def test_fee_paid_resumes_the_clock_and_waiver_records_its_reason(dept, officer):
    request = make_request(org=dept, actor=officer, received_on=d("2025-03-03"))
    with frozen(d("2025-03-05")):
        request = svc.fee_notice_issue(request=request, actor=officer, method="per_volume", pages=150)
    assert request.fee_notices.get().amount == 1700
    with frozen(d("2025-03-07")):
        request = svc.fee_notice_waive(request=request, actor=officer, reason="申请人为低保户")
    notice = request.fee_notices.get()
    assert notice.waived_reason == "申请人为低保户"
    assert request.fee_yuan == 0
    assert request.due_on == d("2025-04-02")  # 31 Mar + the 2 workdays of (5 Mar, 7 Mar]


def test_a_late_reply_stays_late(dept, officer):
    request = make_request(org=dept, actor=officer, received_on=d("2025-03-03"))
    with frozen(d("2025-04-02")):
        request = svc.request_reply(
            request=request,
            actor=officer,
            outcome=Outcome.OPEN,
            legal_basis="《中华人民共和国政府信息公开条例》第三十六条第（二）项",
            delivered_items="招标文件一份",
        )
    reply = Reply.objects.get(request=request)
    assert reply.late is True
    # still late when read a year later, and the clock says so from the recorded reply day
    with frozen(d("2026-04-02")):
        assert request_clock(request).state(done_on=request.replied_on).value == "overdue"
        assert request_clock(request).due_on == d("2025-03-31")


def test_reply_on_time_partial_with_its_letter(dept, officer):
    request = make_request(org=dept, actor=officer, received_on=d("2025-03-03"))
    with frozen(d("2025-03-20")):
        request = svc.request_reply(
            request=request,
            actor=officer,
            outcome=Outcome.PARTIAL,
            legal_basis="条例第三十七条",
            delivered_items="招标文件（隐去投标人报价）",
        )
    assert request.reply.late is False
    assert request.documents.filter(kind="reply").exists()


def test_reply_outcome_must_be_one_code(dept, officer):
    request = make_request(org=dept, actor=officer, received_on=d("2025-03-03"))
    with frozen(d("2025-03-20")), pytest.raises(InvalidInput):
        svc.request_reply(request=request, actor=officer, outcome="granted", legal_basis="x")


def test_concurrent_officers_second_action_is_a_conflict(dept, officer):
    request = make_request(org=dept, actor=officer, received_on=d("2025-03-03"))
    seen = request.status
    with frozen(d("2025-03-05")):
        svc.request_start_consultation(request=request, actor=officer, third_party="甲公司", expected=seen)
        with pytest.raises(Conflict):
            svc.request_reply(
                request=request,
                actor=officer,
                outcome=Outcome.OPEN,
                legal_basis="条例",
                delivered_items="文件",
                expected=seen,
            )
