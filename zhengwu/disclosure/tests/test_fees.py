"""spec/fees.md: both progressive tables, the CLI's output and exit codes, and a request's fee from the applicant's
count that month."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhengwu.cli.common import run
from zhengwu.cli.main import build
from zhengwu.core.errors import InvalidInput
from zhengwu.disclosure.fees import per_request_fee, per_volume_fee
from zhengwu.disclosure.services.requests import request_nth_in_month
from zhengwu.disclosure.tests.factories import d, make_officer, make_request


@pytest.mark.parametrize(
    ("nth", "fee"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400), (61, 500)],
)
def test_per_request_bands(nth, fee):
    assert per_request_fee(nth) == Decimal(fee)


@pytest.mark.parametrize(
    ("pages", "fee"),
    [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (150, 1700), (200, 2700), (201, 2740), (250, 4700)],
)
def test_per_volume_bands(pages, fee):
    assert per_volume_fee(pages) == Decimal(fee)


@pytest.mark.parametrize("bad", [0, -1, True, "3"])
def test_per_request_bad_input(bad):
    with pytest.raises(InvalidInput):
        per_request_fee(bad)


@pytest.mark.parametrize(
    ("args", "status", "out"),
    [
        (["fee", "per-request", "31"], 0, "200\n"),
        (["fee", "per-volume", "150"], 0, "1700\n"),
        (["fee", "per-request", "0"], 2, ""),
        (["fee", "per-volume", "-1"], 2, ""),
        (["fee", "per-volume", "abc"], 2, ""),
    ],
)
def test_fee_cli(args, status, out, capsys):
    assert run(build(), args) == status
    captured = capsys.readouterr()
    assert captured.out == out
    if status == 2:
        assert captured.err.startswith("错误")


@pytest.mark.django_db
def test_nth_in_month_counts_the_applicants_requests_at_the_org_in_order(county):
    officer = make_officer(county["dept"])
    a = make_request(org=county["dept"], actor=officer, received_on=d("2025-03-31"), ref="R-2")
    b = make_request(org=county["dept"], actor=officer, received_on=d("2025-03-31"), ref="R-1")
    c = make_request(org=county["dept"], actor=officer, received_on=d("2025-04-01"), ref="R-0")
    other = make_request(org=county["dept"], actor=officer, received_on=d("2025-03-01"), applicant_name="李四")
    assert request_nth_in_month(b) == 1  # ties by ref
    assert request_nth_in_month(a) == 2
    assert request_nth_in_month(c) == 1  # a new month
    assert request_nth_in_month(other) == 1
