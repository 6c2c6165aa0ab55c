"""`zhengwu import`: JSON counts on success; exit 2 naming file, line and column on a bad file; unknown kinds named."""

import pytest

from zhengwu.core.tests.test_ledger import GOOD, IMPORTED, KIND

pytestmark = pytest.mark.django_db


def test_import_prints_counts(zhengwu, county, tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text(GOOD, encoding="utf-8")
    IMPORTED.clear()
    r = zhengwu("import", KIND.name, str(path), "--org", county["gov"].code)
    assert r.status == 0, r.err
    assert r.json()["created"] == 2
    # and standard error said how far it had come, without mixing into the JSON on standard output
    assert "ok.csv：已读取并校验 3 行" in r.err
    assert "ok.csv：正在写入 2 行" in r.err


def test_a_bad_file_is_never_announced_as_being_written(zhengwu, county, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("编号,申请方式,收到申请日期\nA1,当面,2025-13-01\n", encoding="utf-8")
    r = zhengwu("import", KIND.name, str(path), "--org", county["gov"].code)
    assert r.status == 2
    assert "正在写入" not in r.err


def test_bad_file_exits_2_and_names_line_and_column(zhengwu, county, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("编号,申请方式,收到申请日期\nA1,当面,2025-13-01\n", encoding="gb18030")
    IMPORTED.clear()
    r = zhengwu("import", KIND.name, str(path), "--org", county["gov"].code)
    assert r.status == 2
    assert "bad.csv:2: received_on (C)" in r.err
    assert IMPORTED == []


def test_unknown_kind_lists_the_known_ones(zhengwu, db, tmp_path):
    r = zhengwu("import", "no-such-kind", str(tmp_path / "x.csv"))
    assert r.status == 2
    assert KIND.name in r.err


def test_missing_file_is_bad_input(zhengwu, county, tmp_path):
    r = zhengwu("import", KIND.name, str(tmp_path / "nope.csv"), "--org", county["gov"].code)
    assert r.status == 2
    assert "nope.csv" in r.err
