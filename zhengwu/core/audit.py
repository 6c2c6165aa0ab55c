"""Writing and verifying the audit trail (STYLE rule 6): one event per change, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connections, models, transaction

from zhengwu.core import clock, prepared, write_behind
from zhengwu.core.models import AuditChainHead, AuditEvent

if TYPE_CHECKING:
    from zhengwu.orgs.models import Org, Staff

GENESIS = "0" * 64


def chain_count() -> int:
    """How many chains events are appended to (ADR 0001's way out of the single head lock, ADR 0003): the
    AUDIT_CHAINS setting (ZHENGWU_AUDIT_CHAINS), else 1 — one chain, one head row, as before."""
    raw = getattr(settings, "AUDIT_CHAINS", None) or 1
    return max(1, min(int(raw), 1000))


def chain_id() -> int:
    """The chain (head row) this thread appends to: fixed for a thread, so a transaction locks one head only and
    two transactions never wait on each other's heads in opposite orders."""
    n = chain_count()
    if n == 1:
        return 1
    return 1 + hash((os.getpid(), threading.get_ident())) % n


def _plain(value: Any) -> Any:
    """Values as they will read back from a JSON column, so the stored row hashes the same later."""
    return json.loads(json.dumps(value, default=_json_default, ensure_ascii=False))


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


# One encoder for every hash: `json.dumps` with these options builds a new encoder on each call.
_HASH_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def event_hash(
    *,
    prev_hash: str,
    at: dt.datetime,
    actor_id: int | None,
    actor_label: str,
    org_id: int | None,
    object_type: str,
    object_id: str,
    action: str,
    old: Any,
    new: Any,
    reason: str,
) -> str:
    return _digest(
        [prev_hash, _utc_text(at), actor_id, actor_label, org_id, object_type, object_id, action, old, new, reason]
    )


def _utc_text(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _digest(fields: list[Any]) -> str:
    """The hash of an event's fields in `event_hash`'s order (the instant as `_utc_text`)."""
    return hashlib.sha256(_HASH_JSON.encode(fields).encode("utf-8")).hexdigest()


def actor_label_of(actor: Staff | None) -> str:
    return actor.get_username() if actor is not None else "system"


def record_event(
    *,
    actor: Staff | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    org: Org | None = None,
    old: Any = None,
    new: Any = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event, chained to the previous one, inside the caller's transaction."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        if org is None:
            org = _org_of(obj)
    if not object_type or object_id is None:
        raise ValueError("an audit event needs an object")
    # No savepoint of its own: an event that cannot be written fails the caller's whole transaction anyway.
    with transaction.atomic(savepoint=False):
        head = locked_head()
        at = clock.now()
        old_p, new_p = _plain(old), _plain(new)
        fields = {
            "at": at,
            "actor_id": actor.pk if actor is not None else None,
            "actor_label": actor_label_of(actor),
            "org_id": org.pk if org is not None else None,
            "object_type": object_type,
            "object_id": str(object_id),
            "action": action,
            "old": old_p,
            "new": new_p,
            "reason": reason or "",
        }
        digest = event_hash(prev_hash=head.last_hash, **fields)
        event = AuditEvent(prev_hash=head.last_hash, hash=digest, **fields)
        _insert_and_advance(event, head)
    return event


def locked_head() -> AuditChainHead:
    """The chain head, locked until the transaction ends (created on first use). On PostgreSQL a fixed statement:
    every audited write runs it. Inside a write-behind block (zhengwu.core.write_behind) the head it locked on
    opening, whose hash every append in the block keeps current."""
    connection = connections[AuditChainHead.objects.db]
    pk = chain_id()
    behind = write_behind.active(connection)
    if behind is not None and pk in behind.heads:
        return behind.heads[pk]
    if connection.vendor == "postgresql":
        rows = prepared.execute(
            connection, 'SELECT "last_hash" FROM "core_auditchainhead" WHERE "id" = %s FOR UPDATE', [pk]
        )
        row = rows[0] if rows else None
        if row is not None:
            head = AuditChainHead(pk=pk, last_hash=row[0])
            head._state.adding = False
            head._state.db = connection.alias
            return head
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=pk, defaults={"last_hash": GENESIS})
    return head


def _insert_and_advance(event: AuditEvent, head: AuditChainHead) -> None:
    """Insert `event` and move the (locked) head to its hash. On PostgreSQL one statement does both, so the head
    row's lock is held one round trip less; elsewhere the ORM's two."""
    connection = connections[AuditEvent.objects.db]
    if connection.vendor != "postgresql":
        event.save(force_insert=True)
        head.last_hash = event.hash
        head.save(update_fields=["last_hash"])
        return
    qn = connection.ops.quote_name
    columns = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    pk_column = AuditEvent._meta.pk.column if AuditEvent._meta.pk is not None else "id"
    sql = (
        f"WITH advanced AS (UPDATE {qn(AuditChainHead._meta.db_table)} SET {qn('last_hash')} = %s "  # noqa: S608
        f"WHERE {qn('id')} = %s) "
        f"INSERT INTO {qn(AuditEvent._meta.db_table)} ({', '.join(qn(str(f.column)) for f in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) RETURNING {qn(str(pk_column))}"
    )
    params: list[Any] = [event.hash, head.pk] + [
        f.get_db_prep_save(getattr(event, f.attname), connection) for f in columns
    ]
    ((event.pk,),) = prepared.execute(connection, sql, params)
    event._state.adding = False
    event._state.db = connection.alias
    head.last_hash = event.hash


@dataclass(frozen=True)
class EventSpec:
    """One event for `record_events`: the same fields as `record_event` takes."""

    action: str
    object_type: str
    object_id: str | int
    org: Org | None = None
    old: Any = None
    new: Any = None
    reason: str = ""


def record_events(*, actor: Staff | None, events: list[EventSpec], batch_size: int = 2000) -> int:
    """Append many events under one lock of the chain head (ledger imports): same chain, a fraction of the queries."""
    if not events:
        return 0
    with transaction.atomic():
        head = locked_head()
        at = clock.now()
        prev = head.last_hash
        rows: list[AuditEvent] = []
        for spec in events:
            fields = {
                "at": at,
                "actor_id": actor.pk if actor is not None else None,
                "actor_label": actor_label_of(actor),
                "org_id": spec.org.pk if spec.org is not None else None,
                "object_type": spec.object_type,
                "object_id": str(spec.object_id),
                "action": spec.action,
                "old": _plain(spec.old),
                "new": _plain(spec.new),
                "reason": spec.reason or "",
            }
            digest = event_hash(prev_hash=prev, **fields)
            rows.append(AuditEvent(prev_hash=prev, hash=digest, **fields))
            prev = digest
        # bulk_create keeps list order, so ids rise along the chain.
        AuditEvent.objects.bulk_create(rows, batch_size=batch_size)
        head.last_hash = prev
        _save_head(head)
    return len(rows)


def append_events(*, actor: Staff | None, events: list[EventSpec]) -> int:
    """`record_events` for imports of many records: the same events, hashes and chain, written with one `COPY`
    (PostgreSQL) or one prepared `INSERT` (SQLite) instead of a model instance per event."""
    from zhengwu.core.ledger import JsonText, bulk_insert

    if not events:
        return 0
    # No savepoint of its own (as `record_event`): an event that cannot be written fails the caller's whole
    # transaction anyway, and a SAVEPOINT would wait for a write-behind's queued writes.
    with transaction.atomic(savepoint=False):
        head = locked_head()
        at = clock.now()
        actor_id = actor.pk if actor is not None else None
        label = actor_label_of(actor)
        prev = head.last_hash
        # `_digest`'s JSON list is written piece by piece, with the same encoder: the pieces every event shares
        # once, the repeated ones (type, action, reason) once each, and `old`/`new` once — their text is also what
        # the JSON columns store (`JsonText`), not encoded a second time.
        encode = _HASH_JSON.encode
        shared = f"{encode(_utc_text(at))},{encode(actor_id)},{encode(label)},"
        once = functools.lru_cache(maxsize=1024)(encode)
        rows: list[dict[str, Any]] = []
        org: Any = None
        org_id: int | None = None
        org_text = encode(None)
        for spec in events:
            if spec.org is not org:  # an import's events share one org object: its key read once
                org = spec.org
                org_id = org.pk if org is not None else None
                org_text = encode(org_id)
            object_id = str(spec.object_id)
            old, new = _plain_fast(spec.old), _plain_fast(spec.new)
            old_text = None if old is None else JsonText(encode(old))
            new_text = None if new is None else JsonText(encode(new))
            reason = spec.reason or ""
            digest = hashlib.sha256(
                f"[{encode(prev)},{shared}{org_text},{once(spec.object_type)},{encode(object_id)},{once(spec.action)},"
                f"{old_text or 'null'},{new_text or 'null'},{once(reason)}]".encode()
            ).hexdigest()
            rows.append(
                {
                    "at": at,
                    "actor_id": actor_id,
                    "actor_label": label,
                    "org_id": org_id,
                    "object_type": spec.object_type,
                    "object_id": object_id,
                    "action": spec.action,
                    "old": old_text,
                    "new": new_text,
                    "reason": reason,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
        bulk_insert(AuditEvent, rows)  # keys rise along the chain
        head.last_hash = prev
        _save_head(head)
    return len(rows)


def _save_head(head: AuditChainHead) -> None:
    """Store the head's new hash: behind the import's queued writes inside a write-behind block, else now."""
    connection = connections[AuditChainHead.objects.db]
    behind = write_behind.active(connection)
    if behind is None:
        head.save(update_fields=["last_hash"])
        return
    qn = connection.ops.quote_name
    table = qn(AuditChainHead._meta.db_table)
    behind.execute(f"UPDATE {table} SET {qn('last_hash')} = %s WHERE {qn('id')} = %s", [head.last_hash, head.pk])  # noqa: S608


_JSON_SCALARS = (str, int, bool, type(None))


def _plain_fast(value: Any) -> Any:
    """`_plain`, skipping the JSON round trip for what reads back unchanged (None, a flat dict of str keys and
    str/int/bool/None values; floats are left to the round trip)."""
    if value is None:
        return None
    if type(value) is not dict:
        return _plain(value)
    for k, v in value.items():
        if type(k) is not str or type(v) not in _JSON_SCALARS:
            return _plain(value)
    return value


def _org_of(obj: models.Model) -> Org | None:
    from zhengwu.orgs.models import Org

    if isinstance(obj, Org):
        return obj
    org = getattr(obj, "org", None)
    return org if isinstance(org, Org) else None


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    reason: str


def verify_chain(*, progress: Callable[[int], None] | None = None, chunk: int = 5000) -> tuple[int, BrokenLink | None]:
    """Walk the chain(s) in id order; return (events checked, first broken link or None).

    Each event must link to the newest event of one chain seen so far, or start a chain (at most one per head
    row); at the end each chain's newest event must be its head row's hash. With one chain this is the plain
    walk: every event links to the one before."""
    heads = _heads()
    tips: set[str] = set()  # the newest event of each chain seen so far (one chain unless AUDIT_CHAINS > 1)
    started = 0
    checked = 0
    for event in _events(chunk):
        if event.prev_hash in tips:
            tips.discard(event.prev_hash)
        elif event.prev_hash == GENESIS and (started < max(len(heads), 1) or started < len(heads := _heads())):
            started += 1  # a chain's first event (at most one per head row)
        else:
            return checked, BrokenLink(
                event.id, "prev_hash does not match the previous event (an event was removed or reordered)"
            )
        expected = event_hash(
            prev_hash=event.prev_hash,
            at=event.at,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            org_id=event.org_id,
            object_type=event.object_type,
            object_id=event.object_id,
            action=event.action,
            old=event.old,
            new=event.new,
            reason=event.reason,
        )
        if expected != event.hash:
            return checked, BrokenLink(event.id, "content does not match its hash (the row was edited)")
        tips.add(event.hash)
        checked += 1
        if progress is not None:
            progress(1)
    heads = _heads()
    if heads and tips != {h for h in heads.values() if h != GENESIS}:
        return checked, BrokenLink(-1, "the chain head does not match the last event (the newest events were removed)")
    return checked, None


def _heads() -> dict[int, str]:
    return dict(AuditChainHead.objects.values_list("pk", "last_hash"))


def _events(chunk: int) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:chunk])
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id
