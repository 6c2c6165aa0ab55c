"""A case's stored working time follows its inputs: the calendar (a year's notice, a local day off) and its org's
office hours and division. Each change recomputes the cases it touches in one UPDATE, audited with the count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from zhengwu.cases.models import Case
from zhengwu.cases.services import case_accept, case_conclude
from zhengwu.cases.states import Decision
from zhengwu.cases.tests.factories import submit_online
from zhengwu.catalog.tests.factories import make_item
from zhengwu.core.models import AuditEvent
from zhengwu.orgs.models import Division, DivisionLevel, Org, Staff
from zhengwu.orgs.services import org_update
from zhengwu.reports.service.testing import at, make_case
from zhengwu.workdays import working_time
from zhengwu.workdays.notice import parse_notice
from zhengwu.workdays.services import calendar_load, local_day_off_create
from zhengwu.workdays.tests.conftest import NOTICE_2027

pytestmark = pytest.mark.django_db

HOOK = "zhengwu.cases.hooks.recompute_working_time"


def handled(hall, freeze, accepted: str, concluded: str, org: Org | None = None) -> Case:
    freeze(accepted)
    item = make_item(org=org or hall.dept, window=hall.window)
    case = case_accept(actor=hall.approver, case=submit_online(item))
    freeze(concluded)
    return case_conclude(actor=hall.approver, case=case, decision=Decision.APPROVED)


def test_loading_a_year_notice_recomputes_the_working_time_across_it(hall, freeze):
    # given a case handled from Wed 28 Apr to Thu 6 May 2027 while 2027 is provisional (only Sat 1 and Sun 2 May off)
    case = handled(hall, freeze, "2027-04-28 10:00", "2027-05-06 10:00")
    before = case.conclude_workdays
    other = handled(hall, freeze, "2026-06-01 10:00", "2026-06-02 10:00")  # another year: untouched
    # when the notice (May Day 1–5 May) is loaded
    calendar_load(actor=None, notice=parse_notice(NOTICE_2027, source="2027.yaml"))
    # then Mon 3 to Wed 5 May are off too: the stored time is what the workday engine now counts, and the count is audited
    case.refresh_from_db()
    assert case.conclude_workdays == pytest.approx(working_time(case.accepted_at, case.concluded_at, org=hall.dept))
    assert case.conclude_workdays == pytest.approx(before - 3)
    assert Case.objects.get(pk=other.pk).conclude_workdays == other.conclude_workdays
    event = AuditEvent.objects.get(action="workdays.calendar_load")
    assert event.new["recomputed_due_dates"][HOOK] == 1


def test_a_local_day_off_recomputes_the_working_time_of_that_year(hall, freeze):
    division = Division.objects.create(code="341122", name="某自治县", level=DivisionLevel.COUNTY)
    Org.objects.filter(pk=hall.dept.pk).update(division=division)
    # Mon 1 Sep 10:00 → Wed 3 Sep 10:00: 360 + 420 + 60 minutes
    case = handled(hall, freeze, "2025-09-01 10:00", "2025-09-03 10:00", org=Org.objects.get(pk=hall.dept.pk))
    assert case.conclude_workdays == pytest.approx(2.0)
    local_day_off_create(actor=None, org=hall.dept, division_code="341122", date=dt.date(2025, 9, 2), name="民族节日")
    case.refresh_from_db()
    assert case.conclude_workdays == pytest.approx(1.0)
    event = AuditEvent.objects.get(action="workdays.local_day_off_create")
    assert event.new["recomputed_due_dates"][HOOK] == 1


def test_changing_an_orgs_office_hours_recomputes_its_cases_in_one_audited_step(hall, freeze):
    # Mon 1 Sep 10:00 → Tue 2 Sep 09:00 at 09:00–12:00, 13:30–17:30: 360 + 0 minutes of 420
    ours = [handled(hall, freeze, "2025-09-01 10:00", "2025-09-02 09:00") for _ in range(2)]
    dept2 = hall.county["dept2"]
    theirs = make_case(
        org=dept2, item=make_item(org=dept2), submitted=at("2025-09-01", "10:00"), accepted=at("2025-09-01", "10:00")
    )
    theirs = case_conclude(actor=None, case=theirs, decision=Decision.APPROVED)
    assert ours[0].conclude_workdays == pytest.approx(360 / 420)
    org_update(actor=None, org=hall.dept, changes={"office_hours": "08:00-12:00"})
    # 10:00–12:00 and 08:00–09:00 of a 4-hour day
    for case in ours:
        case.refresh_from_db()
        assert case.conclude_workdays == pytest.approx(180 / 240)
    assert Case.objects.get(pk=theirs.pk).conclude_workdays == pytest.approx(360 / 420)
    event = AuditEvent.objects.get(action="case.recompute_working_time")
    assert (event.object_id, event.new["cases"]) == (str(hall.dept.pk), 2)
    # The same hours again change nothing and write nothing.
    org_update(actor=None, org=Org.objects.get(pk=hall.dept.pk), changes={"office_hours": "08:00-12:00"})
    assert AuditEvent.objects.filter(action="case.recompute_working_time").count() == 1


def test_office_hours_changed_in_the_admin_recompute_the_orgs_cases(hall, freeze):
    case = handled(hall, freeze, "2025-09-01 10:00", "2025-09-02 09:00")
    root = Staff.objects.create_superuser("root", "root@example.org", "a-long-password-1")
    client = Client()
    client.force_login(root)
    dept = Org.objects.get(pk=hall.dept.pk)
    form = {
        "code": dept.code,
        "name": dept.name,
        "short_name": dept.short_name,
        "kind": dept.kind,
        "division": "",
        "uscc": dept.uscc,
        "office_hours": "08:00-12:00",
        "address": dept.address,
        "phone": dept.phone,
        "is_active": "on",
    }
    response = client.post(f"/admin/orgs/org/{dept.pk}/change/", form)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.conclude_workdays == pytest.approx(180 / 240)
    assert AuditEvent.objects.get(action="case.recompute_working_time").new["cases"] == 1
