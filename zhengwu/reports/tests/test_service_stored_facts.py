"""The report adds up facts each case stores (working time, local dates, evaluation): they must be what computing
them from the instants in the database gives — W(end) − W(start) on the workday index, the SQL the report used to run
per row and that every recompute still runs (`zhengwu.cases.work_facts.WorkingTimeSql`).

Cases are written both ways the code writes them: one transition at a time through the services (`working_time`)
and in bulk (`working_time_array`, as the ledger import and the test data do), at the edges of the working-time
rules. Office hours 09:00–12:00 and 13:30–17:30 (420 minutes a workday) unless stated."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from zhengwu.cases.models import Case
from zhengwu.cases.services import case_accept, case_conclude, evaluation_submit, rectification_close
from zhengwu.cases.services.evaluation import rectification_record_callback
from zhengwu.cases.states import Decision, EvaluationChannel
from zhengwu.cases.tests.conftest import freeze as freeze  # the frozen clock fixture
from zhengwu.cases.tests.conftest import make_hall
from zhengwu.cases.tests.factories import submit_online
from zhengwu.cases.work_facts import WorkingTimeSql, org_settings, recompute, register_sqlite_functions
from zhengwu.catalog.tests.factories import make_item
from zhengwu.core.clock import SHANGHAI
from zhengwu.orgs.models import Division, DivisionLevel, Org
from zhengwu.reports.service.dashboard import monthly_trend, ratings
from zhengwu.reports.service.metrics import Period, compute_service_metrics
from zhengwu.reports.service.testing import Level, at, make_case
from zhengwu.workdays.services import local_day_off_create

pytestmark = pytest.mark.django_db

WD = 420


def tolerance() -> float:
    """Equal up to how precisely the database reads an instant: PostgreSQL's epoch to ~0.2 µs (1e-9 workday is
    25 µs of office time); SQLite's date functions to the millisecond (1e-7 workday is 2.5 ms)."""
    return 1e-9 if connection.vendor == "postgresql" else 1e-7


def computed_in_sql() -> dict[int, tuple[Any, ...]]:
    """(accept workdays, conclude workdays, accepted on, concluded on) of every case, computed from its instants."""
    q = WorkingTimeSql()
    settings = org_settings(Org.objects.all())
    register_sqlite_functions()
    sql = (
        f"SELECT c.id, {q.between('c.submitted_at', 'c.accepted_at', settings, 'c.org_id')},"
        f" {q.between('c.accepted_at', 'c.concluded_at', settings, 'c.org_id')},"
        f" {q.local_date('c.accepted_at')}, {q.local_date('c.concluded_at')} FROM cases_case c"
    )
    with connection.cursor() as cur:
        cur.execute(sql)
        rows = cur.fetchall()

    def day(value: Any) -> dt.date | None:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value

    return {pk: (a, c, day(ad), day(cd)) for pk, a, c, ad, cd in rows}


def assert_stored_equal_computed() -> int:
    computed = computed_in_sql()
    for case in Case.objects.all():
        accept, conclude, accepted_on, concluded_on = computed[case.pk]
        for name, stored, expected in (
            ("accept_workdays", case.accept_workdays, accept),
            ("conclude_workdays", case.conclude_workdays, conclude),
        ):
            if expected is None:
                assert stored is None, (case.ref, name, stored)
            else:
                assert stored is not None and abs(stored - expected) < tolerance(), (case.ref, name, stored, expected)
        assert (case.accepted_on, case.concluded_on) == (accepted_on, concluded_on), case.ref
    return len(computed)


@pytest.fixture
def edges(county: dict[str, Org]) -> dict[str, Case]:
    dept, dept2 = county["dept"], county["dept2"]
    Org.objects.filter(pk=dept2.pk).update(office_hours="08:00-12:00")
    division = Division.objects.create(code="341122", name="某自治县", level=DivisionLevel.COUNTY)
    Org.objects.filter(pk=dept.pk).update(division=division)
    local_day_off_create(actor=None, org=dept, division_code="341122", date=dt.date(2025, 9, 2), name="民族节日")
    dept, dept2 = Org.objects.get(pk=dept.pk), Org.objects.get(pk=dept2.pk)
    item, item2 = make_item(org=dept, promised=2), make_item(org=dept2, promised=2)
    cases = {
        # Across the lunch break: 11:30 → 14:00 is 30 + 30 minutes.
        "lunch": make_case(
            org=dept,
            item=item,
            submitted=at("2025-09-01", "11:30"),
            accepted=at("2025-09-01", "14:00"),
            concluded=at("2025-09-01", "16:00"),
        ),
        # Across midnight (Thu 17:00 → Fri 09:30), then across the local day off (Tue 2 Sep) below.
        "midnight": make_case(
            org=dept,
            item=item,
            submitted=at("2025-09-04", "17:00"),
            accepted=at("2025-09-05", "09:30"),
            concluded=at("2025-09-08", "09:00:00.250000"),
        ),
        "local_day_off": make_case(
            org=dept,
            item=item,
            submitted=at("2025-09-01", "10:00"),
            accepted=at("2025-09-01", "10:00"),
            concluded=at("2025-09-03", "10:00"),
        ),
        # Saturday 27 Sep is off, Sunday 28 Sep a make-up workday.
        "makeup": make_case(
            org=dept,
            item=item,
            submitted=at("2025-09-27", "10:00"),
            accepted=at("2025-09-28", "09:30"),
            concluded=at("2025-09-28", "17:45"),
        ),
        # Across National Day (1–8 Oct): 90 minutes on 30 Sep, 60 on 9 Oct.
        "holiday": make_case(
            org=dept,
            item=item,
            submitted=at("2025-09-30", "16:00"),
            accepted=at("2025-09-30", "16:00"),
            concluded=at("2025-10-09", "10:00"),
        ),
        # A special procedure moves the due date, not the working time.
        "pause": make_case(
            org=dept,
            item=item,
            submitted=at("2025-09-15", "08:00"),
            accepted=at("2025-09-15", "08:59"),
            concluded=at("2025-09-19", "18:00"),
            pause=("2025-09-16", "2025-09-17"),
        ),
        # Recorded out of order: no working time, not a negative one.
        "out_of_order": make_case(
            org=dept,
            item=item,
            submitted=at("2025-09-10", "10:00"),
            accepted=at("2025-09-09", "10:00:00.5"),
            concluded=at("2025-09-09", "09:00"),
        ),
        # Outside the calendar's range (from 2004): unknown, left out of the means.
        "out_of_range": make_case(
            org=dept,
            item=item,
            submitted=at("2003-12-31", "10:00"),
            accepted=at("2004-01-05", "10:00"),
            concluded=at("2004-01-05", "11:00"),
        ),
        # Other office hours: 08:00–12:00, a workday of 240 minutes; 10:00 → 09:00 the next day is 120 + 60.
        "other_hours": make_case(
            org=dept2,
            item=item2,
            submitted=at("2025-09-01", "10:00"),
            accepted=at("2025-09-01", "10:00"),
            concluded=at("2025-09-02", "09:00"),
            evaluation=Level.DISSATISFIED,
            rectified=True,
        ),
        "open": make_case(
            org=dept2, item=item2, submitted=at("2025-09-30", "09:00"), accepted=at("2025-09-30", "09:07")
        ),
        "pending": make_case(org=dept2, item=item2, submitted=at("2025-09-30", "09:00")),
    }
    return cases


def test_bulk_written_facts_equal_the_sql_computation_at_the_edges(edges):
    assert assert_stored_equal_computed() == len(edges)
    by_hand = {
        "lunch": (60 / WD, 120 / WD),
        "midnight": (60 / WD, (390 + 0.25 / 60) / WD),  # Fri 09:30–17:30, Mon 09:00–09:00:00.25
        "local_day_off": (0.0, 1.0),
        "makeup": (30 / WD, (WD - 30) / WD),
        "holiday": (0.0, 150 / WD),
        "pause": (0.0, 5.0),  # before and after office hours: Mon–Fri whole
        "out_of_order": (0.0, 0.0),
        "out_of_range": (None, 60 / WD),
        "other_hours": (0.0, 180 / 240),
        "open": (7 / 240, None),
        "pending": (None, None),
    }
    for name, (accept, conclude) in by_hand.items():
        case = Case.objects.get(pk=edges[name].pk)
        assert case.accept_workdays == (None if accept is None else pytest.approx(accept)), name
        assert case.conclude_workdays == (None if conclude is None else pytest.approx(conclude)), name
    makeup = Case.objects.get(pk=edges["makeup"].pk)
    assert (makeup.accepted_on, makeup.concluded_on) == (dt.date(2025, 9, 28), dt.date(2025, 9, 28))
    rated = Case.objects.get(pk=edges["other_hours"].pk)
    assert (rated.evaluation_level, rated.rectified) == (Level.DISSATISFIED, True)


def test_facts_stored_by_the_services_equal_the_sql_computation(freeze):
    hall = make_hall()
    item = make_item(org=hall.dept, window=hall.window, promised=5)
    moments = [
        ("2025-09-01 11:30:00.123456", "2025-09-01 14:00:00.654321", "2025-09-03 10:00"),  # lunch, microseconds
        ("2025-09-04 17:00", "2025-09-05 09:30", "2025-09-19 16:00"),  # midnight
        ("2025-09-26 10:00", "2025-09-27 11:00", "2025-09-28 10:00"),  # accepted on Saturday, concluded on Sunday
        ("2025-09-30 16:00", "2025-10-09 10:00", "2025-10-09 10:42"),  # National Day
    ]
    cases = []
    for submitted, accepted, concluded in moments:
        freeze(submitted)
        case = submit_online(item)
        freeze(accepted)
        case = case_accept(actor=hall.approver, case=case)
        freeze(concluded)
        cases.append(case_conclude(actor=hall.approver, case=case, decision=Decision.APPROVED))
    assert assert_stored_equal_computed() == 4
    # 30 + 30 min and the microseconds; Fri 10:00 → Sat: 360 min, Sat → make-up Sun 10:00: 60 min; 9 Oct: 42 min.
    first, _second, third, fourth = (Case.objects.get(pk=c.pk) for c in cases)
    assert first.accept_workdays == pytest.approx((60 + (0.654321 - 0.123456) / 60) / WD)
    assert (third.accept_workdays, third.conclude_workdays) == (pytest.approx(360 / WD), pytest.approx(60 / WD))
    assert (fourth.accepted_on, fourth.concluded_on) == (dt.date(2025, 10, 9), dt.date(2025, 10, 9))
    assert fourth.conclude_workdays == pytest.approx(0.1)


def test_the_evaluation_and_its_rectification_are_kept_on_the_case(freeze):
    hall = make_hall()
    freeze("2025-09-01 10:00")
    case = case_accept(actor=hall.approver, case=submit_online(make_item(org=hall.dept, window=hall.window)))
    case = case_conclude(actor=hall.approver, case=case, decision=Decision.APPROVED)
    evaluation = evaluation_submit(
        case=case, level=Level.VERY_DISSATISFIED, channel=EvaluationChannel.PORTAL, comment="等太久"
    )
    case.refresh_from_db()
    assert (case.evaluation_level, case.rectified) == (Level.VERY_DISSATISFIED, False)
    rect = evaluation.rectification
    rectification_record_callback(actor=hall.approver, rectification=rect, note="已回访", satisfied=True)
    rectification_close(actor=hall.supervisor, rectification=rect, summary="已整改")
    case.refresh_from_db()
    assert case.rectified
    m = compute_service_metrics(
        org=hall.dept, date_from=dt.date(2025, 9, 1), date_to=dt.date(2025, 9, 30), scope="self"
    )["metrics"]
    assert (m["bad_reviews"], m["bad_review_rectified_rate"], m["satisfaction_rate"]) == (1, 1.0, 0.0)


def test_the_sql_path_fills_rows_written_before_the_facts_existed(edges):
    """What migration cases/0008 does for existing rows, and every recompute does: the same values."""
    # Values the Python path stored are the SQL path's: a recompute writes nothing (no float-rounding "changes").
    assert recompute(Case.objects.all()) == 0
    stored = {c.pk: (c.accept_workdays, c.conclude_workdays, c.accepted_on, c.concluded_on) for c in Case.objects.all()}
    Case.objects.update(accept_workdays=None, conclude_workdays=None, accepted_on=None, concluded_on=None)
    changed = recompute(Case.objects.all())
    assert changed == Case.objects.filter(accepted_at__isnull=False).count()
    for case in Case.objects.all():
        accept, conclude, accepted_on, concluded_on = stored[case.pk]
        assert (case.accepted_on, case.concluded_on) == (accepted_on, concluded_on)
        for got, want in ((case.accept_workdays, accept), (case.conclude_workdays, conclude)):
            assert (got is None) == (want is None) and (got is None or abs(got - want) < tolerance()), case.ref
    # Run again: nothing is written when the stored values are right.
    assert recompute(Case.objects.all()) == 0


def test_shanghai_dates_are_stored_not_utc_dates(county):
    dept = county["dept"]
    late = make_case(
        org=dept,
        item=make_item(org=dept),
        submitted=at("2025-09-01", "07:00"),
        accepted=at("2025-09-01", "07:30"),  # 31 Aug 23:30 UTC
        concluded=at("2025-09-02", "00:10"),
    )
    late.refresh_from_db()
    assert late.accepted_at.astimezone(dt.UTC).date() == dt.date(2025, 8, 31)
    assert (late.accepted_on, late.concluded_on) == (dt.date(2025, 9, 1), dt.date(2025, 9, 2))
    assert late.accepted_at.astimezone(SHANGHAI).date() == late.accepted_on


def test_the_dashboards_trend_and_ratings_read_the_same_facts_as_the_report(edges, county):
    dept = county["dept"]
    period = Period(dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    m = compute_service_metrics(org=dept, date_from=period.first, date_to=period.last, scope="self")["metrics"]
    september = monthly_trend(org=dept, scope="self", last=period.last)[-1]
    assert (september["concluded"], september["on_time_rate"]) == (m["concluded"], m["on_time_rate"])
    gov = county["gov"]
    counted = {r["code"]: r["n"] for r in ratings(org=gov, scope="subtree", period=period) if r["n"]}
    assert counted == {Level.DISSATISFIED: 1}  # the one rated case, concluded 2 Sep at dept2
