"""Prepared statements on the hot paths behave like the ORM's own statements: same transaction, Django's errors,
visible in the query log."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from zhengwu.core import prepared
from zhengwu.core.models import AuditChainHead

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"),
]

INSERT = 'INSERT INTO "core_auditchainhead" ("id", "last_hash") VALUES (%s, %s) RETURNING "id"'


def test_rows_come_back_and_the_statement_is_logged():
    with CaptureQueriesContext(connection) as ctx:
        for n in (901, 902, 903, 904, 905, 906):  # past psycopg's own threshold: the same prepared statement
            assert prepared.execute(connection, INSERT, [n, "0" * 64]) == [(n,)]
    assert len(ctx.captured_queries) == 6
    assert "core_auditchainhead" in ctx.captured_queries[0]["sql"]
    assert AuditChainHead.objects.filter(pk__in=range(901, 907)).count() == 6


def test_a_failed_statement_raises_djangos_error_and_rolls_back_with_the_orm():
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditChainHead.objects.create(pk=911, last_hash="1" * 64)
        prepared.execute(connection, INSERT, [911, "2" * 64])  # the same key
    assert not AuditChainHead.objects.filter(pk=911).exists()
    # The connection is usable afterwards, the prepared statement too.
    assert prepared.execute(connection, INSERT, [912, "3" * 64]) == [(912,)]
