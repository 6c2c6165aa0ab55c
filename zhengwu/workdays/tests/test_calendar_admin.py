"""The admin: the missing-notice warning from November, loading a notice file through the admin page, the seed."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhengwu.core.models import AuditEvent
from zhengwu.orgs.models import Staff
from zhengwu.workdays import is_provisional
from zhengwu.workdays.models import CalendarDay, CalendarYear
from zhengwu.workdays.seed import calendar_seed, chinesecalendar_years
from zhengwu.workdays.selectors import next_year_notice_missing
from zhengwu.workdays.tests.conftest import NOTICE_2027, d

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client() -> Client:
    user = Staff.objects.create_superuser("root", "root@example.org", "a-long-password-1")
    client = Client()
    client.force_login(user)
    return client


def test_next_years_notice_is_asked_for_from_november() -> None:
    assert next_year_notice_missing(d("2026-10-31")) is None
    assert next_year_notice_missing(d("2026-11-01")) == 2027
    assert next_year_notice_missing(d("2025-12-15")) is None  # 2026 is loaded


def test_the_admin_list_warns_and_loads_a_notice(superuser_client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("zhengwu.core.clock.today", lambda: dt.date(2026, 11, 20))
    page = superuser_client.get("/admin/workdays/calendaryear/")
    assert "2027 年的节假日安排通知尚未载入" in page.content.decode()
    upload = SimpleUploadedFile("2027.yaml", NOTICE_2027.encode("utf-8"))
    response = superuser_client.post("/admin/workdays/calendaryear/load/", {"file": upload})
    assert response.status_code == 302
    assert not is_provisional(d("2027-03-01"))
    assert AuditEvent.objects.filter(action="workdays.calendar_load", actor_label="root").exists()
    page = superuser_client.get("/admin/workdays/calendaryear/")
    assert "尚未载入" not in page.content.decode()


def test_the_admin_load_page_shows_the_files_error(superuser_client: Client) -> None:
    upload = SimpleUploadedFile("2027.yaml", NOTICE_2027.replace("2027-02-14", "2027-02-30").encode("utf-8"))
    response = superuser_client.post("/admin/workdays/calendaryear/load/", {"file": upload})
    assert response.status_code == 200
    assert "2027.yaml:32:" in response.content.decode()
    assert is_provisional(d("2027-03-01"))


def test_seed_is_complete_idempotent_and_fast() -> None:
    # given the migration seeded every year chinesecalendar knows
    known = chinesecalendar_years()
    assert set(CalendarYear.objects.values_list("year", flat=True)) == set(known)
    assert CalendarDay.objects.count() == sum(len(days) for days in known.values())
    # when seeding again nothing changes; when the table is empty it fills in well under a second
    assert calendar_seed() == 0
    CalendarYear.objects.all().delete()
    started = time.perf_counter()
    assert calendar_seed() == len(known)
    assert time.perf_counter() - started < 1.0
    assert AuditEvent.objects.filter(action="workdays.calendar_seed").count() == 1
    assert not is_provisional(d("2026-06-01"))


def test_another_processs_change_is_seen_after_the_check_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    from zhengwu.workdays import index as ix
    from zhengwu.workdays import is_workday
    from zhengwu.workdays.models import CalendarVersion, DayKind
    from zhengwu.workdays.seed import bump_version

    # given this process has its index and another process declares Saturday 17 Oct 2026 a make-up workday
    assert not is_workday(d("2026-10-17"))
    CalendarDay.objects.create(calendar_year_id=2026, date=d("2026-10-17"), kind=DayKind.MAKEUP_WORKDAY, name="测试")
    bump_version(CalendarVersion)
    # then within the check interval this process still counts with its index (one read per interval, not per call)
    assert not is_workday(d("2026-10-17"))
    # and once the interval has passed it rereads the version and rebuilds
    later = ix.time.monotonic() + 3600
    monkeypatch.setattr(ix.time, "monotonic", lambda: later)
    assert is_workday(d("2026-10-17"))
