"""Fixed statements that run on every request of a hot path, as PostgreSQL prepared statements.

Django's psycopg cursors bind parameters on the client: each execution sends the statement as text with the values
written in, and PostgreSQL parses and plans it again. For the few statements every ticket intake and every audited
write runs (the ticket insert, the day's number, the audit chain's head and event), `execute` sends them with
server-side binding and `prepare=True`: parsed and planned once per database connection, then executed with only
the values sent. Same connection, so the same transaction as the ORM's statements around them. The statements
still appear in Django's query log (tests' `CaptureQueriesContext`, debug tooling).

A connection pooler in transaction mode must keep prepared statements per server connection (PgBouncer ≥ 1.21 with
`max_prepared_statements`); see docs/adr/0003-hotline-intake-fast-path.md (amendment).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import psycopg
from django.db.backends.base.base import BaseDatabaseWrapper

from zhengwu.core import write_behind


def execute(connection: BaseDatabaseWrapper, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run `sql` (psycopg `%s` placeholders) as a prepared statement on `connection` (PostgreSQL); its rows."""
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    write_behind.settle(connection)  # after the writes queued before it, as any statement
    started = time.monotonic()
    # Errors come out as Django's (IntegrityError …), as from its own cursors.
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        rows = cursor.fetchall() if cursor.description is not None else []
    if connection.queries_logged:
        connection.queries_log.append(
            {"sql": f"{sql} -- prepared, {list(params)!r}", "time": f"{time.monotonic() - started:.3f}"}
        )
    return rows
