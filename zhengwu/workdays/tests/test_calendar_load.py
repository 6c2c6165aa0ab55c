"""Loading a year's notice: the file format, replacing a provisional year, recomputing due dates, the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.core.errors import InvalidInput, PermissionDenied
from zhengwu.core.models import AuditEvent
from zhengwu.orgs.models import Org, Role, Staff
from zhengwu.orgs.tests.factories import make_staff
from zhengwu.workdays import Clock, add_workdays, is_provisional, is_workday, register_due_date_recompute
from zhengwu.workdays.notice import Notice, parse_notice
from zhengwu.workdays.recompute import unregister_due_date_recompute
from zhengwu.workdays.selectors import calendar_year_show
from zhengwu.workdays.services import calendar_load
from zhengwu.workdays.tests.conftest import NOTICE_2027, d

pytestmark = pytest.mark.django_db


def test_notice_file_is_read_into_days(notice_2027: Notice) -> None:
    assert notice_2027.year == 2027
    assert notice_2027.document_no == "国办发明电〔2026〕99号"
    assert (d("2027-02-13"), "春节") in notice_2027.holidays
    assert (d("2027-02-14"), "春节") in notice_2027.makeup_workdays
    assert len(notice_2027.holidays) == 3 + 9 + 3 + 5 + 3 + 3 + 7


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("    from: 2027-02-05\n", "    from: 2027-02-30\n"), 11, "不是有效日期"),
        (("  - name: 春节\n    date: 2027-02-14\n", "  - name: 春节\n    date: 2027-02-15\n"), 32, "不是周六或周日"),
        (("year: 2027\n", "year: 1999\n"), 2, "年份应在"),
        (("    to: 2027-10-07\n", "    to: 2027-10-07\n    till: 2027-10-08\n"), 28, "未知的键"),
        (
            ("    from: 2027-09-15\n    to: 2027-09-17\n", "    from: 2027-09-30\n    to: 2027-10-01\n"),
            26,
            "第 23 行已出现",
        ),
        (("notice: 国务院", "notice: [国务院"), 4, "YAML"),  # an unclosed list: YAML notices it on the next line
    ],
)
def test_a_malformed_file_names_the_file_and_line(change: tuple[str, str], line: int, words: str) -> None:
    old, new = change
    assert old in NOTICE_2027
    with pytest.raises(InvalidInput) as exc:
        parse_notice(NOTICE_2027.replace(old, new, 1), source="2027.yaml")
    assert exc.value.message.startswith(f"2027.yaml:{line}: "), exc.value.message
    assert words in exc.value.message


def test_missing_keys_are_named() -> None:
    with pytest.raises(InvalidInput) as exc:
        parse_notice("year: 2027\nnotice: x\n", source="f.yaml")
    assert "holidays" in exc.value.message


def test_loading_the_notice_ends_the_provisional_year_and_changes_due_dates(notice_2027: Notice) -> None:
    # given 2027 is provisional: 4 Jan is a workday and 9 Jan (a Saturday) is not
    assert is_provisional(d("2027-01-04")) and not is_workday(d("2027-01-09"))
    before = Clock(start=d("2026-12-31"), limit=5)
    assert (before.due_on, before.provisional) == (d("2027-01-08"), True)
    # when the notice is loaded
    calendar_load(actor=None, notice=notice_2027)
    # then the year is no longer provisional and its make-up Saturday counts
    assert not is_provisional(d("2027-01-04"))
    assert is_workday(d("2027-01-09"))
    assert not is_workday(d("2027-02-12"))  # a Friday in the notice's Spring Festival week
    after = Clock(start=d("2026-12-31"), limit=5)
    assert (after.due_on, after.provisional) == (d("2027-01-08"), False)
    assert add_workdays(d("2027-02-04"), 1) == d("2027-02-14")
    shown = calendar_year_show(year=2027)
    assert shown.provisional is False and (d("2027-10-09"), "国庆节") in shown.makeup_workdays


def test_load_runs_the_recompute_hooks_in_the_transaction_and_audits_them(notice_2027: Notice) -> None:
    # given an app that stores due dates counted into 2027 (a test-only hook standing in for cases/disclosure)
    stored = {"case-1": Clock(start=d("2027-02-01"), limit=5).due_on}
    assert stored["case-1"] == d("2027-02-10")  # provisional: only 除夕 to 初三 (5–8 Feb) off
    calls: list[range] = []

    def recompute(*, years: range, actor: Staff | None) -> int:
        calls.append(years)
        new = Clock(start=d("2027-02-01"), limit=5).due_on
        changed = int(new != stored["case-1"])
        stored["case-1"] = new
        return changed

    register_due_date_recompute(recompute)
    try:
        calendar_load(actor=None, notice=notice_2027)
    finally:
        unregister_due_date_recompute(recompute)
    # then the hook saw 2027 and the new calendar (Spring Festival 5–13 Feb, make-up Sunday 14 Feb)
    assert calls == [range(2027, 2028)]
    assert stored["case-1"] == d("2027-02-15")  # was 10 Feb while 2027 was provisional
    event = AuditEvent.objects.get(action="workdays.calendar_load")
    assert event.object_id == "2027"
    assert event.old is None
    assert event.new["was_provisional"] is True
    # other apps' hooks (cases, disclosure …) report too; the test hook's own count is 1
    assert event.new["recomputed_due_dates"][f"{recompute.__module__}.{recompute.__qualname__}"] == 1
    assert "2027-01-09 元旦" in event.new["makeup_workdays"]


def test_a_failing_hook_rolls_the_load_back(notice_2027: Notice) -> None:
    def broken(*, years: range, actor: Staff | None) -> int:
        raise RuntimeError("disk full")

    register_due_date_recompute(broken)
    try:
        with pytest.raises(RuntimeError):
            calendar_load(actor=None, notice=notice_2027)
    finally:
        unregister_due_date_recompute(broken)
    assert is_provisional(d("2027-01-04"))
    assert not is_workday(d("2027-01-09"))


def test_reloading_a_year_replaces_its_days(notice_2027: Notice) -> None:
    calendar_load(actor=None, notice=notice_2027)
    corrected = parse_notice(NOTICE_2027.replace("    date: 2027-01-09\n", "    date: 2027-01-10\n"), source="x")
    calendar_load(actor=None, notice=corrected)
    assert not is_workday(d("2027-01-09")) and is_workday(d("2027-01-10"))
    last = AuditEvent.objects.filter(action="workdays.calendar_load").order_by("-id").first()
    assert last is not None and "2027-01-09 元旦" in last.old["makeup_workdays"]


def test_only_an_administrator_of_the_whole_tree_may_load(county: dict[str, Org], notice_2027: Notice) -> None:
    clerk = make_staff(org=county["gov"], role=Role.WINDOW_STAFF)
    with pytest.raises(PermissionDenied):
        calendar_load(actor=clerk, notice=notice_2027)
    admin = make_staff(org=county["gov"], role=Role.ADMIN)
    calendar_load(actor=admin, notice=notice_2027)
    assert not is_provisional(dt.date(2027, 6, 1))
