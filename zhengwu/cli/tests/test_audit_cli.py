"""`zhengwu audit verify` passes on an untouched database and names the altered event after tampering."""

import pytest
from django.db import connection

from zhengwu.core.models import AuditEvent
from zhengwu.orgs.models import Role
from zhengwu.orgs.tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_verify_passes_on_untouched_chain(zhengwu, county):
    r = zhengwu("audit", "verify")
    assert r.status == 0
    assert f"{AuditEvent.objects.count()} 个事件已校验" in r.err


def test_verify_names_the_edited_event_and_exits_1(zhengwu, county):
    victim = AuditEvent.objects.order_by("id")[1]
    with connection.cursor() as cur:
        cur.execute("UPDATE core_auditevent SET actor_label = 'mallory' WHERE id = %s", [victim.id])
    r = zhengwu("audit", "verify")
    assert r.status == 1
    assert f"事件 #{victim.id}" in r.err


def test_verify_is_for_the_platform_operator_only(zhengwu, county):
    admin = make_staff(org=county["gov"], role=Role.ADMIN)
    r = zhengwu("--as", admin.username, "audit", "verify")
    assert r.status == 2
    assert "平台管理员" in r.err
