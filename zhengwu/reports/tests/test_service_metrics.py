"""Each metric of spec/service-metrics.md, checked by hand on a small September 2025 at one department.

Office hours are the default 09:00–12:00 and 13:30–17:30: one workday is 420 minutes. The working times below are
counted by hand in minutes; the due dates by hand on the 2025 calendar (National Day: 1–8 Oct off, Sunday 28 Sep a
make-up workday)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from zhengwu.cases.models import Case
from zhengwu.catalog.models import Category, Mode, ServiceItem, ServiceItemVersion
from zhengwu.catalog.services import ItemContent, item_revise, item_set_active
from zhengwu.catalog.tests.factories import make_item
from zhengwu.core import clock
from zhengwu.orgs.models import Division, DivisionLevel, Org
from zhengwu.reports.service.metrics import ALL_CODES, DRILL, Period, compute_service_metrics, drill_cases
from zhengwu.reports.service.testing import Level, at, make_case
from zhengwu.workdays import is_workday, working_time
from zhengwu.workdays.services import local_day_off_create

pytestmark = pytest.mark.django_db

SEPT = {"date_from": dt.date(2025, 9, 1), "date_to": dt.date(2025, 9, 30)}
WD = 420  # minutes in one workday


@pytest.fixture
def september(county: dict[str, Org]) -> dict[str, object]:
    dept = county["dept"]
    ten = make_item(org=dept, statutory=20, promised=10, category=Category.LICENSING)
    two = make_item(org=dept, statutory=5, promised=2, online=False, category=Category.PUBLIC_SERVICE)
    instant = make_item(org=dept, mode=Mode.INSTANT, statutory=0, category=Category.CONFIRMATION)
    # The catalog is counted as of the period's end: these items existed then.
    ServiceItem.objects.filter(org=dept).update(created_at=at("2025-01-01"))
    cases = {
        # Submitted 11:30, accepted 14:00 the same Monday: 30 min before lunch + 30 after = 60 min.
        # Concluded Wed 10:00: Mon 210 + Tue 420 + Wed 60 = 690 min. Due 15 Sep: concluded early.
        "A": make_case(
            org=dept,
            item=ten,
            submitted=at("2025-09-01", "11:30"),
            accepted=at("2025-09-01", "14:00"),
            concluded=at("2025-09-03", "10:00"),
            evaluation=Level.SATISFIED,
        ),
        # Submitted Thu 17:00, accepted Fri 09:30 — across midnight: 30 + 30 = 60 min.
        # Due 19 Sep; concluded that day at 16:00 (on time, not early): 390 + 9×420 + 330 = 4500 min.
        "B": make_case(
            org=dept,
            item=ten,
            submitted=at("2025-09-04", "17:00"),
            accepted=at("2025-09-05", "09:30"),
            concluded=at("2025-09-19", "16:00"),
            channel="online",
            visits=0,
            evaluation=Level.DISSATISFIED,
            rectified=True,
        ),
        # Accepted Fri 26 Sep 10:00 with a 2-workday promise: due Mon 29 Sep because Sun 28 Sep is a make-up
        # workday. Concluded on that Sunday at 10:00: 360 + 0 (Sat) + 60 = 420 min = exactly one workday.
        "C": make_case(
            org=dept,
            item=two,
            submitted=at("2025-09-26", "10:00"),
            accepted=at("2025-09-26", "10:00"),
            concluded=at("2025-09-28", "10:00"),
            visits=0,
            evaluation=Level.VERY_DISSATISFIED,
            rectified=False,
        ),
        # Accepted Mon 1 Sep 10:00, paused 8→10 Sep (2 workdays): due 15 Sep + 2 = 17 Sep; concluded 17 Sep 15:00,
        # on time only because of the pause. 360 + 11×420 + 270 = 5250 min.
        "D": make_case(
            org=dept,
            item=ten,
            submitted=at("2025-09-01", "09:00"),
            accepted=at("2025-09-01", "10:00"),
            concluded=at("2025-09-17", "15:00"),
            pause=("2025-09-08", "2025-09-10"),
        ),
        # Accepted Fri 1 Aug (due 15 Aug), concluded Tue 2 Sep 10:00: overdue. 360 + 21×420 + 60 = 9240 min.
        "E": make_case(
            org=dept,
            item=ten,
            submitted=at("2025-08-01", "09:00"),
            accepted=at("2025-08-01", "10:00"),
            concluded=at("2025-09-02", "10:00"),
            visits=2,
        ),
        # An instant case concluded on the spot 42 minutes after acceptance (0.1 workday), denied.
        "F": make_case(
            org=dept,
            item=instant,
            submitted=at("2025-09-10", "09:00"),
            accepted=at("2025-09-10", "09:00"),
            concluded=at("2025-09-10", "09:42"),
            on_site=True,
            decision="denied",
            evaluation=Level.VERY_SATISFIED,
        ),
        "G": make_case(
            org=dept,
            item=ten,
            submitted=at("2025-09-12", "09:00"),
            rejected=at("2025-09-12", "11:00"),
            channel="online",
        ),
        # Open at the month's end in the warning band: accepted 29 Sep (30 min after submission), due 9 Oct.
        "H": make_case(org=dept, item=two, submitted=at("2025-09-29", "09:30"), accepted=at("2025-09-29", "10:00")),
        # Open and overdue since 15 Aug.
        "I": make_case(org=dept, item=ten, submitted=at("2025-08-01", "09:00"), accepted=at("2025-08-01", "10:00")),
        # Concluded only in October, but open and past its 15 Sep due date at the end of September.
        "J": make_case(
            org=dept,
            item=ten,
            submitted=at("2025-09-01", "09:00"),
            accepted=at("2025-09-01", "10:00"),
            concluded=at("2025-10-10", "10:00"),
        ),
    }
    return {"dept": dept, "cases": cases}


def test_the_calendar_the_hand_counts_rely_on(db):
    assert is_workday(dt.date(2025, 9, 28))  # make-up workday before National Day
    assert not is_workday(dt.date(2025, 9, 27))
    assert not is_workday(dt.date(2025, 10, 8))


def test_report_shape_and_every_code(september):
    report = compute_service_metrics(org=september["dept"], scope="self", **SEPT)
    assert set(report) == {"org", "from", "to", "scope", "metrics"}
    assert report["from"] == "2025-09-01" and report["to"] == "2025-09-30" and report["scope"] == "self"
    assert report["org"]["code"] == september["dept"].code
    assert list(report["metrics"]) == list(ALL_CODES)


def test_counts(september):
    m = compute_service_metrics(org=september["dept"], scope="self", **SEPT)["metrics"]
    assert m["submitted"] == 8  # A B C D F G H J
    assert m["accepted"] == 7  # A B C D F H J
    assert m["rejected"] == 1
    assert m["concluded"] == 6  # A B C D E F
    assert (m["approved"], m["denied"]) == (5, 1)
    assert (m["instant_concluded"], m["promised_concluded"]) == (1, 5)


def test_time_limit_rates(september):
    m = compute_service_metrics(org=september["dept"], scope="self", **SEPT)["metrics"]
    # On time: A (early), B (on the due date), C (early, make-up Sunday), D (due date moved by the pause), F.
    assert m["on_time_rate"] == round(5 / 6, 6) == 0.833333
    assert m["early_rate"] == round(2 / 6, 6)
    assert m["overdue_concluded"] == 1  # E
    assert m["overdue_open"] == 2  # I, and J which was still open on 30 Sep
    assert m["warnings_open"] == 1  # H
    assert m["same_day_rate"] == round(1 / 6, 6)  # F
    assert m["on_site_rate"] == round(1 / 6, 6)


def test_working_time_averages(september):
    m = compute_service_metrics(org=september["dept"], scope="self", **SEPT)["metrics"]
    # Accepted in September: A 60, B 60, C 0, D 60, F 0, H 30, J 60 minutes.
    assert m["avg_accept_workdays"] == round(270 / WD / 7, 4) == 0.0918
    # Concluded: A 690, B 4500, C 420, D 5250, E 9240, F 42 minutes.
    assert m["avg_conclude_workdays"] == round(20142 / WD / 6, 4) == 7.9929


def test_speedups_over_cases_with_a_statutory_limit(september):
    m = compute_service_metrics(org=september["dept"], scope="self", **SEPT)["metrics"]
    # A B D E promise 10 of 20, C 2 of 5; F (statutory 0) is left out.
    assert m["promise_speedup"] == round(1 - 42 / 85, 6) == 0.505882
    assert m["handling_speedup"] == round(1 - (20100 / WD) / 85, 6) == 0.436975


def test_channels_visits_and_evaluations(september):
    m = compute_service_metrics(org=september["dept"], scope="self", **SEPT)["metrics"]
    assert m["online_applied_rate"] == 0.25  # B, G of 8 submitted
    assert m["online_concluded_rate"] == round(1 / 6, 6)  # B: online, no visit
    assert m["zero_visit_rate"] == round(2 / 6, 6)  # B, C
    assert m["at_most_one_visit_rate"] == round(5 / 6, 6)  # all but E
    assert m["evaluation_rate"] == round(4 / 6, 6)  # A B C F
    assert m["satisfaction_rate"] == 0.5  # A, F of A B C F
    assert m["bad_reviews"] == 2
    assert m["bad_review_rectified_rate"] == 0.5  # B's is done, C's is not


def test_catalog_as_of_the_period_end(september):
    m = compute_service_metrics(org=september["dept"], scope="self", **SEPT)["metrics"]
    assert m["items"] == 3
    assert m["items_by_category"] == {"confirmation": 1, "licensing": 1, "public_service": 1}
    assert m["catalog_promise_compression"] == round(1 - 12 / 25, 6) == 0.52
    assert m["online_item_rate"] == round(2 / 3, 6)
    assert m["fully_online_item_rate"] == 0.0


def test_items_added_after_the_period_end_are_not_counted(september):
    make_item(org=september["dept"])  # created now, in 2026
    m = compute_service_metrics(org=september["dept"], scope="self", **SEPT)["metrics"]
    assert m["items"] == 3


def test_zero_denominators_are_null(county):
    m = compute_service_metrics(org=county["dept2"], scope="self", **SEPT)["metrics"]
    for code in ("submitted", "accepted", "concluded", "overdue_open", "warnings_open", "bad_reviews", "items"):
        assert m[code] == 0, code
    for code in (
        "on_time_rate",
        "early_rate",
        "same_day_rate",
        "on_site_rate",
        "avg_accept_workdays",
        "avg_conclude_workdays",
        "promise_speedup",
        "handling_speedup",
        "online_applied_rate",
        "online_concluded_rate",
        "zero_visit_rate",
        "at_most_one_visit_rate",
        "evaluation_rate",
        "satisfaction_rate",
        "bad_review_rectified_rate",
        "catalog_promise_compression",
        "online_item_rate",
        "fully_online_item_rate",
        "township_center_coverage",
        "village_station_coverage",
        "ticket_concluded_rate",
        "ticket_on_time_rate",
        "ticket_satisfaction_rate",
    ):
        assert m[code] is None, code
    assert m["tickets"] == 0 and m["tickets_by_kind"] == {} and m["items_by_category"] == {}


def test_the_period_is_by_shanghai_local_date(county):
    dept = county["dept"]
    item = make_item(org=dept)
    # 23:30 on 30 Sep in Shanghai is 15:30 UTC (inside); 00:30 on 1 Oct is 16:30 UTC on 30 Sep (outside).
    make_case(org=dept, item=item, submitted=at("2025-09-30", "23:30"))
    make_case(org=dept, item=item, submitted=at("2025-10-01", "00:30"))
    make_case(org=dept, item=item, submitted=at("2025-09-01", "00:00"))  # the first instant is inside
    make_case(org=dept, item=item, submitted=at("2025-08-31", "23:59"))
    m = compute_service_metrics(org=dept, scope="self", **SEPT)["metrics"]
    assert m["submitted"] == 2


def test_scope_subtree_includes_every_org_below(county):
    gov, dept, dept2 = county["gov"], county["dept"], county["dept2"]
    for org in (dept, dept2, dept2):
        make_case(org=org, item=make_item(org=org), submitted=at("2025-09-02"))
    assert compute_service_metrics(org=gov, scope="self", **SEPT)["metrics"]["submitted"] == 0
    assert compute_service_metrics(org=gov, scope="subtree", **SEPT)["metrics"]["submitted"] == 3
    assert compute_service_metrics(org=dept2, scope="subtree", **SEPT)["metrics"]["submitted"] == 2


def test_queries_do_not_grow_with_the_number_of_cases(county, django_assert_max_num_queries):
    """Aggregates in the database: the same handful of queries for 2 cases or 40 (no loop over cases)."""
    dept = county["dept"]
    item = make_item(org=dept)

    def add(n: int) -> None:
        for i in range(n):
            make_case(
                org=dept,
                item=item,
                submitted=at("2025-09-01", "09:00"),
                accepted=at("2025-09-01", "09:30"),
                concluded=at(f"2025-09-{2 + i % 20:02d}", "10:00"),
                evaluation=Level.SATISFIED,
            )

    add(2)
    with django_assert_max_num_queries(20) as few:
        compute_service_metrics(org=dept, scope="self", **SEPT)
    add(38)
    with django_assert_max_num_queries(len(few.captured_queries)):
        m = compute_service_metrics(org=dept, scope="self", **SEPT)["metrics"]
    assert m["concluded"] == 40


def test_a_conclusion_recorded_before_its_acceptance_counts_as_no_time(county):
    dept = county["dept"]
    item = make_item(org=dept)
    make_case(
        org=dept,
        item=item,
        submitted=at("2025-09-01", "09:00"),
        accepted=at("2025-09-02", "10:00"),
        concluded=at("2025-09-01", "10:00"),
    )
    make_case(
        org=dept,
        item=item,
        submitted=at("2025-09-01", "09:00"),
        accepted=at("2025-09-01", "09:00"),
        concluded=at("2025-09-01", "09:42"),
    )
    m = compute_service_metrics(org=dept, scope="self", **SEPT)["metrics"]
    assert m["avg_conclude_workdays"] == round((0 + 42 / WD) / 2, 4)


def test_each_org_counts_working_time_by_its_own_office_hours_and_local_days_off(county):
    """A subtree whose orgs keep different office hours and calendars: each case's time by its own org's setting."""
    dept, dept2, gov = county["dept"], county["dept2"], county["gov"]
    Org.objects.filter(pk=dept2.pk).update(office_hours="08:00-12:00")  # one 4-hour period: a workday is 240 min
    division = Division.objects.create(code="341122", name="某自治县", level=DivisionLevel.COUNTY)
    Org.objects.filter(pk=dept.pk).update(division=division)
    local_day_off_create(actor=None, org=dept, division_code="341122", date=dt.date(2025, 9, 2), name="民族节日")
    dept, dept2 = Org.objects.get(pk=dept.pk), Org.objects.get(pk=dept2.pk)
    # dept: Mon 1 Sep 10:00 → Wed 3 Sep 10:00 with Tue 2 Sep off locally: 360 + 0 + 60 = 420 min = 1 workday.
    make_case(
        org=dept,
        item=make_item(org=dept),
        submitted=at("2025-09-01", "10:00"),
        accepted=at("2025-09-01", "10:00"),
        concluded=at("2025-09-03", "10:00"),
    )
    # dept2: Mon 1 Sep 10:00 → Tue 2 Sep 09:00 at 08:00–12:00: 120 + 60 = 180 min of 240 = 0.75 workday.
    make_case(
        org=dept2,
        item=make_item(org=dept2),
        submitted=at("2025-09-01", "10:00"),
        accepted=at("2025-09-01", "10:00"),
        concluded=at("2025-09-02", "09:00"),
    )
    assert compute_service_metrics(org=dept, scope="self", **SEPT)["metrics"]["avg_conclude_workdays"] == 1.0
    assert compute_service_metrics(org=dept2, scope="self", **SEPT)["metrics"]["avg_conclude_workdays"] == 0.75
    whole = compute_service_metrics(org=gov, scope="subtree", **SEPT)["metrics"]
    assert whole["avg_conclude_workdays"] == round((1.0 + 0.75) / 2, 4)
    # The same as the workday engine's own count for each org.
    for org, expected in ((dept, 1.0), (dept2, 0.75)):
        case = Case.objects.get(org=org)
        assert working_time(case.accepted_at, case.concluded_at, org=org) == expected


def test_every_figure_counts_exactly_the_cases_its_drill_down_lists(september):
    """The aggregate and the drill-down share no code path: a figure and the cases listed behind it must agree."""
    dept = september["dept"]
    period = Period(SEPT["date_from"], SEPT["date_to"])
    m = compute_service_metrics(org=dept, scope="self", **SEPT)["metrics"]
    evaluated = round(m["evaluation_rate"] * m["concluded"])
    denominators = {"online_applied_rate": m["submitted"], "satisfaction_rate": evaluated}
    denominators["bad_review_rectified_rate"] = m["bad_reviews"]
    checked = 0
    for code in DRILL:
        if code.startswith("avg_") or code.endswith("_speedup"):
            continue  # a mean: its drill-down is the cases averaged, the same sets as `accepted` and the rates
        listed = drill_cases(org=dept, period=period, scope="self", code=code).count()
        figure = m[code]
        if code.endswith("_rate"):
            figure = round(figure * denominators.get(code, m["concluded"]))
        assert listed == figure, (code, listed, figure)
        checked += listed
    assert checked > 40


def test_catalog_counts_each_item_as_it_stood_at_the_period_end(september, monkeypatch):
    items = {i.current.category: i for i in ServiceItem.objects.filter(org=september["dept"])}
    licensing, public = items[Category.LICENSING], items[Category.PUBLIC_SERVICE]
    # Revised in June 2025: fully online from then on — counts.
    item_revise(actor=None, item=licensing, content=replace(ItemContent.of(licensing.current), fully_online=True))
    ServiceItemVersion.objects.filter(item=licensing, number=2).update(created_at=at("2025-06-01"))
    # Revised now (after September 2025): online and recategorised — does not count yet.
    item_revise(
        actor=None,
        item=public,
        content=replace(ItemContent.of(public.current), online=True, category=Category.LICENSING),
    )
    # Withdrawn in August 2025 (audited then): gone by the period's end. The instant item is withdrawn only now.
    monkeypatch.setattr("zhengwu.core.clock.now", lambda: at("2025-08-01"))
    confirmation = items[Category.CONFIRMATION]
    item_set_active(actor=None, item=confirmation, active=False)
    monkeypatch.undo()
    extra = make_item(org=september["dept"], category=Category.PAYMENT)
    ServiceItem.objects.filter(pk=extra.pk).update(created_at=at("2025-01-01"))
    item_set_active(actor=None, item=ServiceItem.objects.get(pk=extra.pk), active=False)

    m = compute_service_metrics(org=september["dept"], scope="self", **SEPT)["metrics"]

    assert m["items"] == 3  # licensing, public service, and the payment item withdrawn only after the period
    assert m["items_by_category"] == {"licensing": 1, "payment": 1, "public_service": 1}
    assert m["fully_online_item_rate"] == round(1 / 3, 6)
    assert m["online_item_rate"] == round(2 / 3, 6)  # licensing and payment; public service only from now
    # And for this month, the catalog as it is now: the confirmation and payment items are withdrawn.
    today = clock.today()
    now = compute_service_metrics(org=september["dept"], scope="self", date_from=today, date_to=today)
    assert now["metrics"]["items_by_category"] == {"licensing": 2}
