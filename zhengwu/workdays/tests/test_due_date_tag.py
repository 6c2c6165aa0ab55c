"""`{% due_date clock %}`: the date, the provisional badge, the state and the reasons on a page."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from zhengwu.workdays import Clock, Pause
from zhengwu.workdays.tests.conftest import d

pytestmark = pytest.mark.django_db


def render(clock: Clock, today: str) -> str:
    return Template("{% load workdays %}{% due_date clock today=today %}").render(
        Context({"clock": clock, "today": d(today)})
    )


def test_a_due_date_shows_its_reasons_in_a_details_row() -> None:
    clock = Clock(start=d("2025-09-30"), limit=3, pauses=(Pause(d("2025-10-09"), d("2025-10-10"), "等待缴费"),))
    html = render(clock, "2025-10-10")  # 11 and 13 Oct left: inside the 2-workday band
    assert '<time datetime="2025-10-13">2025-10-13</time>' in html
    assert "<details" in html
    assert "不计：2025-10-01 至 2025-10-05 国庆节放假（5 天）" in html
    assert "计入：2025-10-11（周六）国庆节调休上班日" in html
    assert "暂停：2025-10-09 至 2025-10-10（等待缴费）" in html
    assert "暂定" not in html
    assert 'data-state="warning"' in html


def test_a_provisional_due_date_carries_the_badge() -> None:
    html = render(Clock(start=d("2026-12-28"), limit=5), "2026-12-28")
    assert 'data-provisional="true"' in html
    assert "暂定" in html
    assert 'data-state="on_time"' in html


def test_an_overdue_date_says_so() -> None:
    html = render(Clock(start=d("2025-03-03"), limit=2), "2025-03-10")
    assert 'data-state="overdue"' in html
    assert "超时" in html


def test_the_api_form_carries_the_provisional_mark_and_the_reasons() -> None:
    from zhengwu.workdays.serializers import DueDateSerializer

    data = DueDateSerializer(Clock(start=d("2026-12-28"), limit=5), context={"today": d("2026-12-28")}).data
    assert data["due_on"] == "2027-01-05"
    assert data["provisional"] is True
    assert data["state"] == "on_time"
    assert data["remaining_workdays"] == 5
    assert any("2027-01-01 元旦（法定节日，暂定）" in line for line in data["explanation"])
