"""`zhengwu init` is harmless to repeat; `zhengwu demo --no-serve` builds the county once."""

import pytest

from zhengwu.demo import COUNTY_ORG, DEMO_PASSWORD
from zhengwu.orgs.models import Org, OrgKind, Role, Staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_init_twice_is_harmless(zhengwu):
    assert zhengwu("init").status == 0
    r = zhengwu("init")
    assert r.status == 0
    assert "数据库已就绪" in r.err


def test_demo_builds_a_realistic_county_once(zhengwu):
    first = zhengwu("demo", "--no-serve")
    assert first.status == 0, first.err
    summary = first.json()
    assert summary["created"] is True
    assert summary["departments"] >= 30
    assert summary["townships"] == 12
    assert 140 <= summary["stations"] <= 170
    gov = Org.objects.get(code=COUNTY_ORG)
    assert Org.objects.filter(path__startswith=gov.path, kind=OrgKind.SERVICE_CENTER).count() == 1
    roles = set(
        Staff.objects.filter(memberships__org__path__startswith=gov.path).values_list("memberships__role", flat=True)
    )
    assert roles == {r.value for r in Role}
    assert Staff.objects.get(username="window_a03").check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD in first.err

    again = zhengwu("demo", "--no-serve")
    assert again.status == 0
    assert again.json()["created"] is False
    assert again.json()["orgs"] == summary["orgs"]
