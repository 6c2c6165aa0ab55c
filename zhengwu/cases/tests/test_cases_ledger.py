"""The `cases` ledger: historical cases with their clock, procedure, evaluation and rectification; all or nothing,
idempotent, GB18030 and XLSX."""

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from zhengwu.cases.models import Case, Rectification
from zhengwu.cases.states import CaseStatus, RectificationStatus
from zhengwu.cases.tests.conftest import d
from zhengwu.catalog.tests.factories import make_item
from zhengwu.core.ledger import LedgerInvalid, ledger_export, ledger_import
from zhengwu.core.models import AuditEvent
from zhengwu.workdays import add_workdays, workdays_between

pytestmark = pytest.mark.django_db

HEADER = "ref,item_code,channel,submitted_at,accepted_at,rejected_at,concluded_at,decision,paused_from,paused_to,visits,on_site,fee_yuan,evaluation,rectified_on\n"
ROWS = (
    "2025-0001,LIC1,window,2025-09-15 09:00,2025-09-15 09:10,,2025-09-19 16:00,approved,,,1,0,,satisfied,",
    "2025-0002,LIC1,online,2025-09-15 10:00,2025-09-16 09:00,,,,2025-09-17,2025-09-30,0,0,,,",
    "2025-0003,LIC1,网上,2025-09-15 11:00,,2025-09-16 09:00,,,,,0,0,,,",
    "2025-0004,LIC1,window,2025-09-15 11:00,2025-09-15 11:05,,2025-09-20 10:00,不予,,,2,0,12.5,不满意,2025-10-10",
)


@pytest.fixture
def item(hall):
    return make_item(org=hall.dept, window=hall.window, code="LIC1", promised=10)


def _import(hall, data: bytes, name: str = "cases.csv"):
    return ledger_import(actor=None, kind_name="cases", path=Path(name), org=hall.county["gov"], data=data)


def _csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("gb18030")


def test_a_ledger_creates_cases_with_their_facts(hall, item):
    assert _import(hall, _csv(*ROWS)).as_dict() == {"created": 4, "updated": 0, "unchanged": 0}
    cases = {c.ref: c for c in Case.objects.all()}
    assert {r: c.status for r, c in cases.items()} == {
        "2025-0001": CaseStatus.CONCLUDED,
        "2025-0002": CaseStatus.ACCEPTED,
        "2025-0003": CaseStatus.REJECTED,
        "2025-0004": CaseStatus.CONCLUDED,
    }
    assert cases["2025-0001"].due_on == add_workdays(d("2025-09-15"), 10)
    # the special procedure moved the due date by exactly its workdays
    paused = workdays_between(d("2025-09-17"), d("2025-09-30"))
    assert cases["2025-0002"].due_on == add_workdays(add_workdays(d("2025-09-16"), 10), paused)
    assert cases["2025-0004"].decision == "denied" and str(cases["2025-0004"].fee_yuan) == "12.50"
    rect = Rectification.objects.get()
    assert rect.status == RectificationStatus.CLOSED and rect.closed_on == d("2025-10-10")
    assert cases["2025-0001"].evaluation.level == "satisfied"
    assert len({c.query_code for c in cases.values()}) == 4


def test_importing_the_same_file_twice_changes_nothing(hall, item):
    _import(hall, _csv(*ROWS))
    before = (AuditEvent.objects.count(), list(Case.objects.order_by("pk").values_list("query_code", "due_on")))
    assert _import(hall, _csv(*ROWS)).as_dict() == {"created": 0, "updated": 0, "unchanged": 4}
    assert (AuditEvent.objects.count(), list(Case.objects.order_by("pk").values_list("query_code", "due_on"))) == before


def test_a_changed_row_updates_its_case_and_is_audited(hall, item):
    _import(hall, _csv(*ROWS))
    changed = (ROWS[0].replace(",1,0,,satisfied,", ",2,0,,satisfied,"), *ROWS[1:3], ROWS[3].replace(",2025-10-10", ","))
    assert _import(hall, _csv(*changed)).as_dict() == {"created": 0, "updated": 2, "unchanged": 2}
    assert Case.objects.get(ref="2025-0001").visits == 2
    assert Rectification.objects.get().status == RectificationStatus.OPEN
    event = AuditEvent.objects.filter(action="ledger.update").get()
    assert (event.old, event.new) == ({"visits": 1}, {"visits": 2})


def test_a_file_with_a_bad_row_imports_nothing(hall, item):
    bad = (
        *ROWS,
        "2025-0005,LIC1,window,2025-09-15 09:00,2025-09-15 09:10,,2025-09-19 16:00,,,,1,0,,,",  # no decision
        "2025-0006,NOPE,window,2025-09-15 09:00,,,,,,,1,0,,,",  # unknown item
    )
    with pytest.raises(LedgerInvalid) as err:
        _import(hall, _csv(*bad))
    assert [(p.line, p.column) for p in err.value.problems] == [(6, "decision")]
    with pytest.raises(LedgerInvalid) as err:
        _import(hall, _csv(*ROWS, bad[-1]))
    assert [(p.line, p.column) for p in err.value.problems] == [(6, "item_code")]
    assert not Case.objects.exists()


def test_an_xlsx_ledger_and_the_exported_file_read_back_unchanged(hall, item):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    for row in ROWS:
        sheet.append(row.split(","))
    out = io.BytesIO()
    book.save(out)
    assert _import(hall, out.getvalue(), "cases.xlsx").created == 4
    for fmt in ("csv", "xlsx"):
        exported = ledger_export(actor=None, kind_name="cases", org=hall.county["gov"], fmt=fmt)
        assert _import(hall, exported, f"back.{fmt}").as_dict() == {"created": 0, "updated": 0, "unchanged": 4}


def test_exporting_and_reimporting_keeps_versions_and_procedures_recorded_by_the_services(hall, item, freeze):
    # given a case accepted under version 1 that went through a special procedure, then the item is revised
    import dataclasses

    from zhengwu.cases.models import CasePause
    from zhengwu.cases.services import case_accept, case_pause, case_resume
    from zhengwu.cases.tests.factories import submit_online
    from zhengwu.catalog.services import ItemContent, item_revise

    freeze("2025-09-15 09:00")
    case = case_accept(actor=hall.approver, case=submit_online(item))
    case = case_pause(actor=hall.approver, case=case, kind="testing", reason="送检")
    freeze("2025-09-19 09:00")
    case_resume(actor=hall.approver, case=case)
    item_revise(actor=None, item=item, content=dataclasses.replace(ItemContent.of(item.current), promised_limit_days=3))
    # when the org's ledger is exported and imported back
    exported = ledger_export(actor=None, kind_name="cases", org=hall.county["gov"], fmt="csv")
    assert _import(hall, exported).as_dict() == {"created": 0, "updated": 0, "unchanged": 1}
    # then the case keeps its version and its one procedure
    case.refresh_from_db()
    assert (case.item_version.number, case.promised_limit_days) == (1, 10)
    assert CasePause.objects.filter(case=case).count() == 1


def test_a_write_that_fails_after_the_checks_imports_nothing_and_leaves_the_chain_whole(hall, item, monkeypatch):
    """A write the database refuses after every row passed the checks (here two cases drawn the same query code)
    reaches the caller as the database's error; nothing of the file is written and the audit chain stays whole."""
    from django.db import IntegrityError

    from zhengwu.cases import ledger as cases_ledger
    from zhengwu.core.audit import verify_chain

    _import(hall, _csv(ROWS[0]))
    events = AuditEvent.objects.count()

    def same_code(cases):
        for case in cases:
            case["query_code"] = "ABCDEFGHJK"

    monkeypatch.setattr(cases_ledger, "_new_query_codes", same_code)
    with pytest.raises(IntegrityError):
        _import(hall, _csv(*ROWS[1:]))
    assert list(Case.objects.values_list("ref", flat=True)) == ["2025-0001"]
    assert AuditEvent.objects.count() == events
    monkeypatch.undo()
    assert _import(hall, _csv(*ROWS)).as_dict() == {"created": 3, "updated": 0, "unchanged": 1}
    assert verify_chain() == (AuditEvent.objects.count(), None)


def test_every_cross_column_problem_of_a_row_is_named_in_a_fixed_order():
    from zhengwu.core.ledger import get_kind, read_ledger

    rows = (
        # accepted and rejected, both before submission; concluded before acceptance, without a decision; a pause
        # starting before acceptance and ending before it starts
        "C1,LIC1,window,2025-09-15 09:00,2025-09-15 08:00,2025-09-14 09:00,2025-09-14 10:00,,2025-09-10,2025-09-01,,,,,",
        # concluded without acceptance, paused without acceptance and without an end; rectified after a good rating
        "C2,LIC1,window,2025-09-15 09:00,,,2025-09-20 10:00,approved,2025-09-16,,,1,,满意,2025-10-01",
        # a decision, an end of pause, on the spot and a rating without conclusion
        "C3,LIC1,window,2025-09-15 09:00,2025-09-15 09:10,,,approved,,2025-09-20,,1,,满意,",
        # a pause ending after the conclusion
        "C4,LIC1,window,2025-09-15 09:00,2025-09-15 09:10,,2025-09-20 10:00,approved,2025-09-16,2025-09-25,,,,,",
        # accepted at 00:30 on 16 September in Shanghai: a pause from the 15th starts before it
        "C5,LIC1,window,2025-09-15 09:00,2025-09-15T16:30:00Z,,2025-09-20 00:10,approved,2025-09-15,2025-09-20,,,,,",
        # good: the pause within the Shanghai days of acceptance and conclusion
        "C6,LIC1,window,2025-09-15 09:00,2025-09-15 23:30,,2025-09-20 00:10,approved,2025-09-15,2025-09-20,,,,,",
    )
    with pytest.raises(LedgerInvalid) as err:
        read_ledger(get_kind("cases"), Path("c.csv"), _csv(*rows))
    assert [(p.line, p.column, p.message) for p in err.value.problems] == [
        (2, "rejected_at", "同一办件不能既受理又不予受理"),
        (2, "accepted_at", "受理时间早于申请时间"),
        (2, "rejected_at", "不予受理时间早于申请时间"),
        (2, "concluded_at", "办结时间早于受理时间"),
        (2, "decision", "办结时间与办理结果必须同时填写"),
        (2, "paused_from", "特别程序起日早于受理日"),
        (2, "paused_to", "特别程序止日早于起日"),
        (3, "concluded_at", "办结的办件必须有受理时间"),
        (3, "paused_from", "特别程序只能在受理之后"),
        (3, "paused_to", "已办结的办件的特别程序必须有止日"),
        (3, "rectified_on", "只有差评才有整改完成日"),
        (4, "decision", "办结时间与办理结果必须同时填写"),
        (4, "paused_from", "填写了特别程序止日却没有起日"),
        (4, "on_site", "现场办结的办件必须有办结时间"),
        (4, "evaluation", "办结后才能评价"),
        (5, "paused_to", "特别程序止日晚于办结日"),
        (6, "paused_from", "特别程序起日早于受理日"),
    ]


def test_a_file_written_in_chunks_gives_the_same_cases_events_and_counts(hall, item, monkeypatch):
    """A big file is prepared and written a chunk at a time (PostgreSQL writes one while Python prepares the next):
    with one row per chunk, creating, re-importing and changing give what one chunk gives, and the chain holds."""
    from zhengwu.cases import ledger as cases_ledger
    from zhengwu.core.audit import verify_chain

    monkeypatch.setattr(cases_ledger, "CHUNK_ROWS", 1)
    assert _import(hall, _csv(*ROWS)).as_dict() == {"created": 4, "updated": 0, "unchanged": 0}
    cases = {c.ref: c for c in Case.objects.select_related("evaluation")}
    assert cases["2025-0001"].evaluation.level == "satisfied" and cases["2025-0001"].evaluation_level == "satisfied"
    assert Rectification.objects.get().status == RectificationStatus.CLOSED
    assert cases["2025-0002"].pauses.get().started_on == d("2025-09-17")
    assert _import(hall, _csv(*ROWS)).as_dict() == {"created": 0, "updated": 0, "unchanged": 4}
    # A changed evaluation alone (a detail) counts the case as updated, in whichever chunk it falls.
    changed = (*ROWS[:3], ROWS[3].replace(",不满意,2025-10-10", ",满意,"))
    assert _import(hall, _csv(*changed)).as_dict() == {"created": 0, "updated": 1, "unchanged": 3}
    assert not Rectification.objects.exists()
    assert Case.objects.get(ref="2025-0004").evaluation_level == "satisfied"
    assert AuditEvent.objects.filter(action="ledger.create").count() == 4
    assert verify_chain() == (AuditEvent.objects.count(), None)
