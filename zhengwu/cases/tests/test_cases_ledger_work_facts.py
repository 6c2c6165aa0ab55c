"""The `cases` ledger writes each case's stored facts (working time, local dates, evaluation) with its row, as the
services would: the report counts imported cases like any other."""

import datetime as dt
from pathlib import Path

import pytest

from zhengwu.cases.models import Case, Evaluation
from zhengwu.catalog.tests.factories import make_item
from zhengwu.core.ledger import ledger_import
from zhengwu.reports.service.metrics import compute_service_metrics
from zhengwu.workdays import working_time

pytestmark = pytest.mark.django_db

HEADER = "ref,item_code,channel,submitted_at,accepted_at,rejected_at,concluded_at,decision,paused_from,paused_to,visits,on_site,fee_yuan,evaluation,rectified_on\n"
ROWS = (
    # Across lunch and into a make-up Sunday (28 Sep 2025); a bad rating, rectified.
    "L-1,LIC1,window,2025-09-26 11:30,2025-09-26 14:00,,2025-09-28 10:00,approved,,,1,0,,不满意,2025-10-10",
    # Accepted the next morning, open.
    "L-2,LIC1,online,2025-09-29 17:00,2025-09-30 09:30,,,,,,0,0,,,",
    "L-3,LIC1,window,2025-09-15 09:00,,2025-09-15 10:00,,,,,0,0,,,",
)


def _import(hall, *rows: str):
    data = (HEADER + "\n".join(rows) + "\n").encode("gb18030")
    return ledger_import(actor=None, kind_name="cases", path=Path("c.csv"), org=hall.county["gov"], data=data)


def test_imported_cases_carry_their_working_time_dates_and_rating(hall):
    make_item(org=hall.dept, window=hall.window, code="LIC1", promised=10)
    _import(hall, *ROWS)
    cases = {c.ref: c for c in Case.objects.select_related("org__division")}
    one, two, rejected = cases["L-1"], cases["L-2"], cases["L-3"]
    assert one.accept_workdays == pytest.approx(60 / 420)
    assert one.conclude_workdays == pytest.approx(working_time(one.accepted_at, one.concluded_at, org=one.org))
    assert one.conclude_workdays == pytest.approx((210 + 60) / 420)  # Fri 14:00–17:30, Sun 09:00–10:00
    assert (one.accepted_on, one.concluded_on) == (dt.date(2025, 9, 26), dt.date(2025, 9, 28))
    assert (one.evaluation_level, one.rectified) == ("dissatisfied", True)
    assert (two.accept_workdays, two.conclude_workdays, two.concluded_on) == (pytest.approx(60 / 420), None, None)
    assert (rejected.accept_workdays, rejected.accepted_on, rejected.evaluation_level) == (None, None, "")
    m = compute_service_metrics(
        org=hall.dept, date_from=dt.date(2025, 9, 1), date_to=dt.date(2025, 9, 30), scope="self"
    )["metrics"]
    assert (m["bad_reviews"], m["bad_review_rectified_rate"], m["same_day_rate"]) == (1, 1.0, 0.0)
    assert m["avg_accept_workdays"] == round(60 / 420, 4)


def test_a_row_that_drops_its_rating_clears_it_on_the_case(hall):
    make_item(org=hall.dept, window=hall.window, code="LIC1", promised=10)
    _import(hall, *ROWS)
    _import(hall, ROWS[0].replace("不满意,2025-10-10", ","), *ROWS[1:])
    case = Case.objects.get(ref="L-1")
    assert (case.evaluation_level, case.rectified) == ("", False)
    assert not Evaluation.objects.filter(case=case).exists()


def test_a_working_time_stored_by_another_path_is_not_a_change_on_reimport(hall):
    """The migration and the calendar recompute write working time through SQL, the ledger through numpy: the same
    value to the last few bits. Importing the unchanged file again records no change."""
    make_item(org=hall.dept, window=hall.window, code="LIC1", promised=10)
    _import(hall, *ROWS)
    one = Case.objects.get(ref="L-1")
    Case.objects.filter(pk=one.pk).update(
        accept_workdays=one.accept_workdays + 1e-12, conclude_workdays=one.conclude_workdays - 1e-12
    )
    again = _import(hall, *ROWS)
    assert again.updated == 0 and again.unchanged == 3
    # A real change of working time still counts.
    Case.objects.filter(pk=one.pk).update(accept_workdays=one.accept_workdays + 0.5)
    assert _import(hall, *ROWS).updated == 1
