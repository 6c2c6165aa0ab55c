"""`zhengwu calendar due | between | load | show`: output, exit status 0 and 2, messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhengwu.cli.common import run
from zhengwu.cli.main import build
from zhengwu.workdays import is_provisional
from zhengwu.workdays.tests.conftest import NOTICE_2027, d

pytestmark = pytest.mark.django_db


def zw(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(build(), list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_due_prints_the_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert zw(capsys, "calendar", "due", "2025-09-30", "1") == (0, "2025-10-09\n", "")


def test_due_into_a_provisional_year_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = zw(capsys, "calendar", "due", "2026-12-31", "1")
    assert (code, out) == (0, "2027-01-04 provisional\n")


def test_due_in_calendar_days(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = zw(capsys, "calendar", "due", "2025-09-16", "15", "--calendar-days")
    assert (code, out) == (0, "2025-10-09\n")


def test_due_explain_lists_the_skipped_and_counted_days(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = zw(capsys, "calendar", "due", "2026-02-13", "2", "--explain")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "2026-02-24"
    assert "计入：2026-02-14（周六）春节调休上班日" in lines
    assert "不计：2026-02-15 至 2026-02-23 春节放假（9 天）" in lines
    assert lines[-1] == "期限届满日：2026-02-24（周二）。"


def test_between_prints_the_count(capsys: pytest.CaptureFixture[str]) -> None:
    assert zw(capsys, "calendar", "between", "2026-09-30", "2026-10-11")[:2] == (0, "3\n")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("calendar", "due", "2025-02-30", "5"), "不是有效日期"),
        (("calendar", "due", "2025-01-01", "--", "-5"), "非负整数"),
        (("calendar", "due", "2025-01-01", "-5"), "非负整数"),  # as a person types it
        (("calendar", "due", "2003-12-31", "5"), "不在日历范围内"),
        (("calendar", "between", "2025-01-01", "tomorrow"), "不是有效日期"),
        (("calendar", "show", "1999"), "年份应在"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], words: str
) -> None:
    code, out, err = zw(capsys, *args)
    assert code == 2
    assert out == ""
    assert words in err


def test_load_a_notice_file_then_show_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "2027.yaml"
    path.write_text(NOTICE_2027, encoding="utf-8")
    code, out, err = zw(capsys, "calendar", "load", str(path))
    assert code == 0, err
    assert '"year": 2027' in out
    assert not is_provisional(d("2027-01-04"))
    code, out, _err = zw(capsys, "calendar", "show", "2027")
    assert code == 0
    assert "放假 2027-02-05 至 2027-02-13 春节" in out.splitlines()
    assert "调休上班 2027-02-14 春节" in out.splitlines()
    assert zw(capsys, "calendar", "due", "2026-12-31", "1")[1] == "2027-01-04\n"


def test_load_a_malformed_file_exits_2_naming_file_and_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(NOTICE_2027.replace("2027-02-14", "2027-02-31"), encoding="utf-8")
    code, _out, err = zw(capsys, "calendar", "load", str(path))
    assert code == 2
    assert f"{path}:32:" in err
    assert is_provisional(d("2027-01-04"))


def test_load_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _out, err = zw(capsys, "calendar", "load", str(tmp_path / "none.yaml"))
    assert code == 2
    assert "无法读取文件" in err


def test_show_a_loaded_and_a_provisional_year(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = zw(capsys, "calendar", "show", "2026")
    assert code == 0
    assert "放假 2026-10-01 至 2026-10-07 国庆节" in out
    assert "调休上班 2026-10-10 国庆节" in out
    code, out, _err = zw(capsys, "calendar", "show", "2028")
    assert out.startswith("2028 provisional ")
    assert "放假 2028-10-01 至 2028-10-02 国庆节" in out
    assert "放假 2028-10-03 中秋节、国庆节" in out  # 中秋 falls on 3 Oct in 2028
