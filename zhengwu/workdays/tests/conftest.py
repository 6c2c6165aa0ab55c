"""Fixtures for the workdays tests. The holiday table is seeded by migration 0002, so every test database has it."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.workdays.notice import Notice, parse_notice

NOTICE_2027 = """\
# 国务院办公厅关于2027年部分节假日安排的通知（测试用的假想安排）
year: 2027
notice: 国务院办公厅关于2027年部分节假日安排的通知
document_no: 国办发明电〔2026〕99号
published_on: 2026-11-10
holidays:
  - name: 元旦
    from: 2027-01-01
    to: 2027-01-03
  - name: 春节
    from: 2027-02-05
    to: 2027-02-13
  - name: 清明节
    from: 2027-04-03
    to: 2027-04-05
  - name: 劳动节
    from: 2027-05-01
    to: 2027-05-05
  - name: 端午节
    from: 2027-06-09
    to: 2027-06-11
  - name: 中秋节
    from: 2027-09-15
    to: 2027-09-17
  - name: 国庆节
    from: 2027-10-01
    to: 2027-10-07
makeup_workdays:
  - name: 元旦
    date: 2027-01-09
  - name: 春节
    date: 2027-02-14
  - name: 劳动节
    date: 2027-04-25
  - name: 国庆节
    date: 2027-09-26
  - name: 国庆节
    date: 2027-10-09
"""


@pytest.fixture
def notice_2027() -> Notice:
    return parse_notice(NOTICE_2027, source="2027.yaml")


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
