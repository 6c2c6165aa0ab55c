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
