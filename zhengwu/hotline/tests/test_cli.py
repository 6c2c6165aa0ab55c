"""`zhengwu hotline …`: cards for a month, the overdue list, Open311 client keys."""

from __future__ import annotations

import json

import pytest

from zhengwu.cli.common import run
from zhengwu.cli.main import build
from zhengwu.hotline.models import ApiClient, Card, CardRule
from zhengwu.hotline.tests.factories import handling

pytestmark = pytest.mark.django_db


def test_cards_for_a_month_then_nothing_more_the_second_time(county, supervisor, frozen, capsys):
    CardRule.objects.create(org=county["gov"], overdue_per_month=1, yellows_per_quarter=3)
    frozen.set("2026-10-12T10:00")
    handling(org=county["gov"], unit=county["dept"])
    frozen.set("2026-11-20T10:00")
    args = ["--as", supervisor.username, "hotline", "cards", "--org", county["gov"].code, "--month", "2026-10"]

    assert run(build(), args) == 0
    first = json.loads(capsys.readouterr().out)
    assert run(build(), args) == 0
    second = json.loads(capsys.readouterr().out)

    assert [(c["unit"], c["color"]) for c in first] == [(county["dept"].code, "yellow")]
    assert second == [] and Card.objects.count() == 1


def test_a_bad_month_is_exit_2(county, frozen, capsys):
    assert run(build(), ["hotline", "cards", "--org", county["gov"].code, "--month", "2026-13"]) == 2


def test_overdue_and_client_add(county, supervisor, frozen, capsys):
    ticket = handling(org=county["gov"], unit=county["dept"])
    frozen.set("2026-11-30T10:00")

    assert run(build(), ["--as", supervisor.username, "hotline", "overdue"]) == 0
    assert [r["ref"] for r in json.loads(capsys.readouterr().out)] == [ticket.ref]
    assert run(build(), ["hotline", "client-add", "--org", county["gov"].code, "--name", "微信小程序"]) == 0
    key = json.loads(capsys.readouterr().out)["api_key"]
    assert ApiClient.objects.get().key_prefix == key[:8]
