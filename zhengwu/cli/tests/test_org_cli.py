"""`zhengwu org add` and `org list`: exit codes, messages on stderr, JSON on stdout, nothing written on error."""

import pytest

from zhengwu.core.models import AuditEvent
from zhengwu.orgs.models import Org, Role
from zhengwu.orgs.tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_add_prints_the_org_as_json(zhengwu, county):
    r = zhengwu(
        "org", "add", "--code", "jx-sw", "--name", "甲县商务局", "--kind", "department", "--parent", county["gov"].code
    )
    assert r.status == 0, r.err
    assert r.json()["parent"] == county["gov"].code
    assert Org.objects.get(code="jx-sw").parent == county["gov"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--kind", "ministry", "--parent", "GOV"], ["ministry", "government"]),
        (["--kind", "department", "--parent", "nowhere"], ["上级机构不存在", "nowhere"]),
        (["--kind", "department", "--parent", "GOV", "--code-override", "DEPT"], ["机构代码已存在"]),
    ],
)
def test_bad_input_exits_2_naming_the_problem_and_writes_nothing(zhengwu, county, args, words):
    args = [county["gov"].code if a == "GOV" else a for a in args]
    code = "newcode"
    if "--code-override" in args:
        i = args.index("--code-override")
        code = county["dept"].code
        del args[i : i + 2]
    before = (Org.objects.count(), AuditEvent.objects.count())
    r = zhengwu("org", "add", "--code", code, "--name", "某局", *args)
    assert r.status == 2
    assert r.out == ""
    for word in words:
        assert word in r.err
    assert (Org.objects.count(), AuditEvent.objects.count()) == before


def test_missing_option_is_a_usage_error_with_status_2(zhengwu, db):
    r = zhengwu("org", "add", "--code", "x")
    assert r.status == 2
    assert "--name" in r.err


def test_acting_as_a_county_admin_cannot_add_under_another_county(zhengwu, county, other_county):
    admin = make_staff(org=county["gov"], role=Role.ADMIN)
    r = zhengwu(
        "--as",
        admin.username,
        "org",
        "add",
        "--code",
        "intruder",
        "--name",
        "越权局",
        "--kind",
        "department",
        "--parent",
        other_county["gov"].code,
    )
    assert r.status == 2
    assert "权限" in r.err
    assert not Org.objects.filter(code="intruder").exists()


def test_list_as_staff_shows_only_their_subtree(zhengwu, county, other_county):
    admin = make_staff(org=county["town"], role=Role.ADMIN)
    r = zhengwu("--as", admin.username, "org", "list")
    assert r.status == 0
    assert {o["code"] for o in r.json()} == {county["town"].code, county["station"].code}


def test_unknown_actor_is_bad_input(zhengwu, db):
    r = zhengwu("--as", "nobody", "org", "list")
    assert r.status == 2
    assert "nobody" in r.err
