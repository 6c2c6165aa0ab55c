"""Bulk writes that PostgreSQL performs while Python goes on with the next part of an import.

A ledger import spends its time in two processes that used to take turns: Python (checking rows, computing their
values, hashing the audit chain, formatting rows) and the PostgreSQL backend (inserting the rows, updating their
indexes, checking their foreign keys). Inside `write_behind()`, on PostgreSQL, `ledger.bulk_insert`:

* reserves the new rows' keys on a second connection of its own (a sequence is outside transactions: `nextval` on
  another connection hands out keys exactly as on this one, and a rolled-back import leaves the same gap);
* formats the rows as `COPY` text in the calling thread;
* hands the text to a worker thread that streams it with `COPY` on the import's own connection — the import stays
  one transaction, all or nothing — and returns at once.

The worker checks each `COPY`'s foreign keys at its end (`SET CONSTRAINTS ALL IMMEDIATE` around it), so that work
too overlaps the Python that follows instead of waiting for the commit. The worker holds the interpreter lock only
to pass a block of text to libpq.

Order and visibility stay those of plain code: the worker runs what it is given in order, and any other statement
on the connection (Django's cursors, through an execute wrapper; `prepared.execute`) first waits until everything
queued is written. An error of a queued write is raised, as Django's error, by the next statement or on leaving the
block; an error in the caller aborts the `COPY` in progress. The audit chain's head is locked when the block opens
and moved by a queued statement (`zhengwu.core.audit`), so appending events needs no round trip.

Elsewhere (SQLite, or no block open) nothing changes: `active()` is None and writes happen in line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import queue
import threading
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import DEFAULT_DB_ALIAS, connections

# psycopg's own row formatter (C in psycopg-binary), the one `Copy.write_row` calls: here the caller's thread formats
# and the worker only sends. Not in psycopg's documented API (the lock file pins psycopg; test_write_behind fails if
# it moves or changes).
from psycopg._copy_base import format_row_text as _format_row

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

BLOCK_BYTES = 1 << 20  # text handed to the worker at a time: few hand-overs of the interpreter lock
QUEUED_BLOCKS = 256  # at most this many blocks wait per COPY (256 MB): memory stays bounded when PostgreSQL lags
_ATTRIBUTE = "zhengwu_write_behind"
_ABORT = object()


def active(connection: BaseDatabaseWrapper) -> WriteBehind | None:
    """The open write-behind of `connection` (this thread's Django connection), or None."""
    return getattr(connection, _ATTRIBUTE, None)


def settle(connection: BaseDatabaseWrapper) -> None:
    """Wait until every write queued on `connection` is done (raising its error, if one failed); nothing to do
    when no write-behind is open."""
    behind = active(connection)
    if behind is not None:
        behind.settle()


class _Job:
    __slots__ = ("blocks", "ended", "params", "sql")

    def __init__(self, sql: str, params: Sequence[Any] | None, blocks: queue.Queue[Any] | None) -> None:
        self.sql, self.params, self.blocks = sql, params, blocks
        self.ended = False  # a COPY's last block (or its abort) has been taken


class WriteBehind:
    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        from psycopg.adapt import Transformer

        self.connection = connection
        self.heads: dict[int, Any] = {}  # audit chain id → its head row, locked by this transaction
        self._pg = connection.connection  # the psycopg connection the worker writes on
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._error: BaseException | None = None
        self._side: Any = None
        self._sequences: dict[tuple[str, str], str] = {}
        self._transformer = Transformer(self._pg)
        # Dumpers are looked up on first use, and the text dumper reads the connection's encoding from libpq: look
        # them all up now, before the worker uses the connection.
        _format_row(
            (1, "文", True, 1.5, Decimal("1.00"), dt.date(2026, 1, 1), dt.datetime(2026, 1, 1, tzinfo=dt.UTC), None),
            self._transformer,
            bytearray(),
        )
        self._thread = threading.Thread(target=self._work, name="zhengwu-write-behind", daemon=True)

    # --- The caller's side ------------------------------------------------------------------------------------
    def reserve_keys(self, table: str, column: str, count: int) -> list[int]:
        """`count` new keys of `table`.`column`'s sequence, rising, taken on the side connection."""
        side = self._side_connection()
        sequence = self._sequences.get((table, column))
        if sequence is None:
            sequence = side.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column]).fetchone()[0]
            self._sequences[(table, column)] = sequence
        rows = side.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count]).fetchall()
        return sorted(r[0] for r in rows)

    def copy_rows(
        self, sql: str, rows: Sequence[Sequence[Any]], *, keys: Sequence[int], constants: Sequence[Any] = ()
    ) -> None:
        """Queue `COPY … FROM STDIN` of `rows`, formatted here: each line is its key, its values (in the
        statement's column order after the key) and then `constants`, the same for every row (formatted once)."""
        self._raise_failure()
        if len(keys) != len(rows):
            raise ValueError(f"copy_rows: {len(keys)} keys for {len(rows)} rows")
        tx = self._transformer
        buffer = bytearray()
        if constants:
            _format_row(tuple(constants), tx, buffer)
        tail = bytes(buffer)
        buffer.clear()
        blocks: queue.Queue[Any] = queue.Queue(maxsize=QUEUED_BLOCKS)
        self._jobs.put(_Job(sql, None, blocks))
        # From here on the worker waits for this COPY's blocks: every way out ends them (None, or _ABORT).
        try:
            for key, row in zip(keys, rows, strict=True):
                buffer += b"%d\t" % key
                if row:
                    _format_row(row, tx, buffer)  # ends with a newline
                    if tail:
                        buffer[-1] = 9  # a tab: the constants follow
                        buffer += tail
                elif tail:
                    buffer += tail
                else:
                    buffer[-1] = 10  # the key alone
                if len(buffer) >= BLOCK_BYTES:
                    self._put(blocks, bytes(buffer))
                    buffer.clear()
            if buffer:
                self._put(blocks, bytes(buffer))
        except BaseException:
            self._end(blocks, _ABORT)  # the COPY fails, and with it the transaction: none of its rows stays
            raise
        self._end(blocks, None)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """Queue a statement whose result nobody reads (moving the audit chain's head, say)."""
        self._raise_failure()
        self._jobs.put(_Job(sql, params, None))

    def settle(self) -> None:
        """Wait for every queued write; raise the first one's error as Django's (IntegrityError …)."""
        if threading.current_thread() is self._thread:
            return
        self._jobs.join()
        self._raise_failure()

    def _put(self, blocks: queue.Queue[Any], block: bytes) -> None:
        while True:
            # The worker has stopped writing: stop formatting, and say why (`copy_rows` ends the COPY).
            self._raise_failure()
            try:
                blocks.put(block, timeout=0.5)
                return
            except queue.Full:
                continue

    def _end(self, blocks: queue.Queue[Any], marker: Any) -> None:
        """Put a COPY's last item: the worker takes it, whether it writes or drains (unless it is gone)."""
        while self._thread.is_alive():
            try:
                blocks.put(marker, timeout=0.5)
                return
            except queue.Full:
                continue

    def _raise_failure(self) -> None:
        if self._error is not None:
            error = self._error
            with self.connection.wrap_database_errors:
                raise error

    def _side_connection(self) -> Any:
        if self._side is None:
            import psycopg

            params = dict(self.connection.get_connection_params())
            params.pop("cursor_factory", None)
            self._side = psycopg.connect(**params, autocommit=True)
        return self._side

    # --- The worker ---------------------------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                self._jobs.task_done()
                return
            done = False
            try:
                if self._error is None:
                    self._run(job)
                    done = True
            except BaseException as exc:  # handed to the caller's thread
                self._error = exc
            finally:
                if not done and job.blocks is not None and not job.ended:
                    # A COPY that failed or was skipped still takes its blocks, so the caller never waits on a full
                    # queue; it sees the error at its next block.
                    while job.blocks.get() not in (None, _ABORT):
                        pass
                self._jobs.task_done()

    def _run(self, job: _Job) -> None:
        with self._pg.cursor() as cur:
            if job.blocks is None:
                cur.execute(job.sql, job.params)
                return
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with cur.copy(job.sql) as copy:
                while True:
                    block = job.blocks.get()
                    if block is None or block is _ABORT:
                        job.ended = True  # the caller puts nothing more
                        if block is _ABORT:
                            raise _Aborted
                        break
                    copy.write(block)
            # The end of the COPY checked its rows' foreign keys; later statements of the import are deferred again.
            cur.execute("SET CONSTRAINTS ALL DEFERRED")

    # --- Opening and closing ------------------------------------------------------------------------------------
    def _before_statement(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.settle()
        return execute(sql, params, many, context)

    def _start(self) -> None:
        self._thread.start()

    def _stop(self) -> None:
        self._jobs.put(None)
        self._thread.join()
        if self._side is not None:
            self._side.close()

    def _fail_queued(self) -> None:
        """The caller failed: write nothing more (the transaction will be rolled back)."""
        if self._error is None:
            self._error = _Aborted()


class _Aborted(Exception):
    """The caller failed while the worker still had writes to do."""


@contextlib.contextmanager
def write_behind(using: str = DEFAULT_DB_ALIAS) -> Iterator[WriteBehind | None]:
    """Within an atomic block: let `bulk_insert`'s COPYs (and the audit chain's head) be written behind the caller.
    Yields None where that does not apply (not PostgreSQL, or already inside one)."""
    from zhengwu.core import audit

    connection = connections[using]
    if connection.vendor != "postgresql" or active(connection) is not None:
        yield None
        return
    if not connection.in_atomic_block:
        raise RuntimeError("write_behind() needs an open transaction (transaction.atomic)")
    connection.ensure_connection()
    behind = WriteBehind(connection)
    head = audit.locked_head()  # locked now, while nothing is queued; moved by queued statements from here on
    behind.heads[head.pk] = head
    setattr(connection, _ATTRIBUTE, behind)
    connection.execute_wrappers.append(behind._before_statement)
    behind._start()
    try:
        yield behind
        behind.settle()
    except BaseException:
        behind._fail_queued()
        raise
    finally:
        connection.execute_wrappers.remove(behind._before_statement)
        delattr(connection, _ATTRIBUTE)
        behind._stop()
