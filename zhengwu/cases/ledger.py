"""The `cases` ledger (办件台账, spec/cli-and-ledgers.md): historical and carried-over cases in bulk.

Rows are keyed by `ref` within the handling department (the item's org); the file's `--org` must contain every
item's department. Cases are written through `sync_by_ref` (bulk, one audit event per created or changed case),
then their special procedure, evaluation and rectification. A ledger row states facts that already happened, so
the status is derived from its dates rather than walked through the transitions one by one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext as _

from zhengwu.cases.models import Case, CasePause, Evaluation, Rectification
from zhengwu.cases.services.clock import warning_from
from zhengwu.cases.services.evaluation import rectification_workdays
from zhengwu.cases.states import BAD_LEVELS, CaseStatus, Channel, Decision, EvaluationChannel, Level, ProcedureKind
from zhengwu.cases.states import RectificationStatus as RS
from zhengwu.cases.work_facts import evaluation_facts, fill_facts
from zhengwu.catalog.models import ServiceItem, ServiceItemVersion
from zhengwu.core import ledger
from zhengwu.core.audit import EventSpec, append_events
from zhengwu.core.clock import local
from zhengwu.core.ledger import Column, ImportResult, LedgerKind, Problem, Row
from zhengwu.core.models import AuditEvent
from zhengwu.core.querycode import ALPHABET
from zhengwu.core.querycode import LENGTH as QUERY_CODE_LENGTH
from zhengwu.core.write_behind import write_behind
from zhengwu.orgs.models import Org
from zhengwu.workdays import Clock, Pause, add_workdays

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff

LEDGER_REASON = "台账导入"

COLUMNS = (
    Column("ref", "办件编号", ledger.text(40), required=True),
    Column("item_code", "事项编码", ledger.text(60), required=True),
    Column("channel", "申请渠道", ledger.choice({c.value: str(c.label) for c in Channel}), required=True),
    Column("submitted_at", "申请时间", ledger.instant, required=True),
    Column("accepted_at", "受理时间", ledger.instant),
    Column("rejected_at", "不予受理时间", ledger.instant),
    Column("concluded_at", "办结时间", ledger.instant),
    Column("decision", "办理结果", ledger.choice({c.value: str(c.label) for c in Decision})),
    Column("paused_from", "特别程序起", ledger.date),
    Column("paused_to", "特别程序止", ledger.date),
    Column("visits", "跑动次数", ledger.integer(0, 99)),
    Column("on_site", "现场办结", ledger.flag),
    Column("fee_yuan", "收费", ledger.yuan),
    Column("evaluation", "评价", ledger.choice({c.value: str(c.label) for c in Level})),
    Column("rectified_on", "整改完成日", ledger.date),
)


def _check(row: Row) -> list[tuple[str, str]]:
    """The row's problems between its columns, in a fixed order. Run for each row of a ledger (a million, say): each
    value is read once, and a list is returned rather than yielded, which costs less for the many rows with none."""
    get: Callable[[str], Any] = row.values.get
    submitted, accepted, rejected, concluded = (
        get("submitted_at"),
        get("accepted_at"),
        get("rejected_at"),
        get("concluded_at"),
    )
    paused_from, paused_to, evaluation = get("paused_from"), get("paused_to"), get("evaluation")
    found: list[tuple[str, str]] = []
    if accepted and rejected:
        found.append(("rejected_at", _("同一办件不能既受理又不予受理")))
    if accepted and submitted and accepted < submitted:
        found.append(("accepted_at", _("受理时间早于申请时间")))
    if rejected and submitted and rejected < submitted:
        found.append(("rejected_at", _("不予受理时间早于申请时间")))
    if concluded and not accepted:
        found.append(("concluded_at", _("办结的办件必须有受理时间")))
    if concluded and accepted and concluded < accepted:
        found.append(("concluded_at", _("办结时间早于受理时间")))
    if (not concluded) != (not get("decision")):
        found.append(("decision", _("办结时间与办理结果必须同时填写")))
    if paused_to and not paused_from:
        found.append(("paused_from", _("填写了特别程序止日却没有起日")))
    if paused_from:
        if not accepted:
            found.append(("paused_from", _("特别程序只能在受理之后")))
        elif paused_from < local(accepted).date():
            found.append(("paused_from", _("特别程序起日早于受理日")))
        if paused_to and paused_to < paused_from:
            found.append(("paused_to", _("特别程序止日早于起日")))
        if concluded and paused_to is None:
            found.append(("paused_to", _("已办结的办件的特别程序必须有止日")))
        if concluded and paused_to and paused_to > local(concluded).date():
            found.append(("paused_to", _("特别程序止日晚于办结日")))
    if get("on_site") and not concluded:
        found.append(("on_site", _("现场办结的办件必须有办结时间")))
    if evaluation and not concluded:
        found.append(("evaluation", _("办结后才能评价")))
    if get("rectified_on") and evaluation not in BAD_LEVELS:
        found.append(("rectified_on", _("只有差评才有整改完成日")))
    return found


def _items(rows: list[Row], org: Org) -> dict[str, ServiceItem]:
    codes = {r["item_code"] for r in rows}
    return {
        i.code: i
        for i in ServiceItem.objects.filter(code__in=codes, org__path__startswith=org.path)
        .exclude(current__isnull=True)
        .select_related("current", "org__division")
    }


def _validate(*, rows: list[Row], org: Org, actor: Staff | None) -> Iterable[Problem]:
    items = _items(rows, org)
    for row in rows:
        if row["item_code"] not in items:
            yield Problem(row.line, "item_code", _("本机构及其下级没有这个事项：%(c)s") % {"c": row["item_code"]})


DueDates = dict[tuple[Any, ...], tuple[Any, Any]]
# Rows prepared and written at a time: PostgreSQL writes one chunk while Python prepares the next (write_behind).
CHUNK_ROWS = 50_000
_ZERO_FEE = Decimal("0.00")
_SHANGHAI_OFFSET = dt.timedelta(hours=8)  # since 1992 an instant with this offset shows Shanghai's wall time


def _constant_values(item: ServiceItem, version: ServiceItemVersion) -> dict[str, Any]:
    """What every case of `item` accepted under `version` shares."""
    return {
        "item_id": item.pk,
        "desk_id": item.org_id,
        "item_version_id": version.pk,
        "center_id": version.window.hall.org_id if version.window_id and version.window else None,
        "mode": version.mode,
    }


def _values(
    row: Row,
    item: ServiceItem,
    version: ServiceItemVersion | None = None,
    memo: DueDates | None = None,
    shared: dict[str, Any] | None = None,
    division_code: str | None = None,
) -> dict[str, Any]:
    """The case's fields from its row; `version` is the one an existing case was accepted under (kept: a later
    revision of the item never changes an accepted case), else the item's current one. `memo` keeps the due and
    warning dates of each (start day, limit, pause, division) already computed: a ledger's rows share few;
    `shared` is `_constant_values(item, version)` when the caller keeps it; `division_code`, the item division's code
    when the caller has read it."""
    version = version or item.current
    assert version is not None
    get: Callable[[str], Any] = row.values.get
    accepted = get("accepted_at")
    concluded = get("concluded_at")
    paused_from, paused_to = get("paused_from"), get("paused_to")
    if concluded:
        status = CaseStatus.CONCLUDED
    elif get("rejected_at"):
        status = CaseStatus.REJECTED
    elif accepted:
        status = CaseStatus.PAUSED if paused_from and not paused_to else CaseStatus.ACCEPTED
    else:
        status = CaseStatus.SUBMITTED
    fee = get("fee_yuan")
    values: dict[str, Any] = shared.copy() if shared is not None else _constant_values(item, version)
    values.update(
        channel=get("channel"),
        status=status,
        submitted_at=get("submitted_at"),
        accepted_at=accepted,
        rejected_at=get("rejected_at"),
        concluded_at=concluded,
        decision=get("decision") or "",
        statutory_limit_days=version.statutory_limit_days if accepted else None,
        promised_limit_days=version.promised_limit_days if accepted else None,
        visits=get("visits") or 0,
        on_site=bool(get("on_site")),
        fee_yuan=fee if fee is not None else _ZERO_FEE,
        due_on=None,
        warn_on=None,
    )
    if accepted:
        if division_code is None:
            division = item.org.division
            division_code = division.code if division else ""
        on_offset = accepted.year >= 1992 and accepted.utcoffset() == _SHANGHAI_OFFSET
        start = (accepted if on_offset else local(accepted)).date()
        code = division_code
        key = (start, version.promised_limit_days, paused_from, paused_to, code)
        dates = memo.get(key) if memo is not None else None
        if dates is None:
            pauses = (Pause(paused_from, paused_to),) if paused_from and paused_to else ()
            running = Clock(start=start, limit=version.promised_limit_days, pauses=pauses, division_code=code)
            dates = (running.due_on, warning_from(running))
            if memo is not None:
                memo[key] = dates
        values["due_on"], values["warn_on"] = dates
    return values


def _new_query_codes(cases: list[dict[str, Any]]) -> None:
    """A query code for each case about to be created: what `new_query_code` draws, from one `token_bytes` call
    per batch instead of ten `secrets.choice` calls per case (bytes ≥ 248 are dropped so the 31 letters stay
    equally likely)."""
    size = len(ALPHABET)
    usable = 256 - 256 % size
    table = bytes(ALPHABET.encode("ascii")[b % size] if b < usable else 0 for b in range(256))
    drop = bytes(range(usable, 256))
    need = len(cases) * QUERY_CODE_LENGTH
    letters = b""
    while len(letters) < need:
        letters += secrets.token_bytes((need - len(letters)) * 33 // 31 + 64).translate(table, drop)
    text = letters[:need].decode("ascii")
    for index, case in enumerate(cases):
        case["query_code"] = text[index * QUERY_CODE_LENGTH : (index + 1) * QUERY_CODE_LENGTH]


_UNRATED = evaluation_facts(None, rectified=False)


def _new_cases(cases: list[dict[str, Any]], *, rated: dict[str, dict[str, Any]]) -> None:
    _new_query_codes(cases)
    for case in cases:
        case.update(rated.get(case["ref"]) or _UNRATED)  # every new row with the same fields


def _import(*, rows: list[Row], org: Org, actor: Staff | None) -> ImportResult:
    items = _items(rows, org)
    orgs = {i.org_id: i.org for i in items.values()}  # the handling orgs of the file's items
    org_ids = set(orgs)
    refs = {r["ref"] for r in rows}
    # The cases of the file that exist already, read by org (not by a list of refs as long as the file) with their
    # item version: (org_id, ref) → (case id, version id).
    before = {
        (org_id, ref): (pk, version_id)
        for org_id, ref, pk, version_id in Case.objects.filter(org_id__in=org_ids)
        .values_list("org_id", "ref", "pk", "item_version_id")
        .iterator(chunk_size=20000)
        if ref in refs
    }
    versions = {
        v.pk: v
        for v in ServiceItemVersion.objects.filter(pk__in={v for _pk, v in before.values()}).select_related(
            "window__hall"
        )
    }
    memo: DueDates = {}
    shared: dict[tuple[int, int], dict[str, Any]] = {}
    # What each item's rows share, read off the item once (not through its relations for each of a million rows).
    per_item = {
        code: (item, item.pk, item.org_id, item.current, item.org.division.code if item.org.division else "")
        for code, item in items.items()
    }
    known: dict[int, dict[str, int]] = defaultdict(dict)
    for (in_org, ref), (pk, _version) in before.items():
        known[in_org][ref] = pk
    existing = _existing_details(orgs, [pk for pk, _version in before.values()])
    result = ImportResult()
    mark = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    touched: set[int] = set()
    # On PostgreSQL each chunk's cases, events and evaluations are written while Python prepares the next chunk.
    with write_behind():
        for start in range(0, len(rows), CHUNK_ROWS):
            chunk = rows[start : start + CHUNK_ROWS]
            by_org: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
            for row in chunk:
                item, item_id, org_id, version, division_code = per_item[row.values["item_code"]]
                ref = row.values["ref"]
                kept = before.get((org_id, ref))
                if kept is not None:
                    kept_version = versions.get(kept[1])
                    if kept_version is not None and kept_version.item_id == item_id:
                        version = kept_version
                assert version is not None
                common = shared.get((item_id, version.pk))
                if common is None:
                    common = shared[(item_id, version.pk)] = _constant_values(item, version)
                by_org[org_id][ref] = _values(row, item, version, memo, common, division_code)
            for org_id, records in by_org.items():
                fill_facts(list(records.values()), orgs[org_id])  # working time and local days, vectorised
            # A new case's rating is stored with it; an existing case's with its evaluation's change (details).
            rated: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
            for row in chunk:
                if row["evaluation"]:
                    facts = evaluation_facts(row["evaluation"], bool(row["rectified_on"]))
                    rated[per_item[row["item_code"]][2]][row["ref"]] = facts
            case_ids: dict[tuple[int, str], int] = {}
            for org_id, records in by_org.items():
                ids: dict[str, int] = {}
                part = ledger.sync_by_ref(
                    model=Case,
                    org=orgs[org_id],
                    actor=actor,
                    records=records,
                    action_prefix="ledger",
                    known_ids=known[org_id],
                    prepare_new=partial(_new_cases, rated=rated[org_id]),
                    ids_out=ids,
                )
                case_ids.update(((org_id, ref), pk) for ref, pk in ids.items())
                result.created += part.created
                result.updated += part.updated
                result.unchanged += part.unchanged
            touched |= _sync_details(rows=chunk, items=items, orgs=orgs, existing=existing, cases=case_ids, actor=actor)
    if touched:
        # A case whose only change was its procedure or evaluation counts as updated, not unchanged. (Cases this
        # import created are never in `touched`.)
        written = set(
            AuditEvent.objects.filter(id__gt=mark, object_type="cases.case", action="ledger.update").values_list(
                "object_id", flat=True
            )
        )
        moved = len({str(pk) for pk in touched} - written)
        result.unchanged -= moved
        result.updated += moved
    return result


@dataclass(frozen=True)
class _Existing:
    """What the cases that existed before the import already have: their ids, special procedures (from a ledger,
    and recorded through the services as (case, start, end)) and evaluations with their rectification."""

    ids: frozenset[int]
    pauses: dict[int, CasePause]
    recorded: set[tuple[Any, ...]]
    evaluations: dict[int, Evaluation]


def _existing_details(orgs: dict[int, Org], old_ids: list[int]) -> _Existing:
    """Read once per import (read by org when there are many)."""
    if not old_ids:
        return _Existing(frozenset(), {}, set(), {})
    scope = Q(case__org_id__in=list(orgs)) if len(old_ids) > 5000 else Q(case_id__in=old_ids)
    return _Existing(
        ids=frozenset(old_ids),
        pauses={p.case_id: p for p in CasePause.objects.filter(scope, from_ledger=True)},
        # A special procedure recorded through the services (and exported) is the same fact as the row's pause.
        recorded=set(
            CasePause.objects.filter(scope, from_ledger=False).values_list("case_id", "started_on", "ended_on")
        ),
        evaluations={e.case_id: e for e in Evaluation.objects.filter(scope).select_related("rectification")},
    )


def _sync_details(
    *,
    rows: list[Row],
    items: dict[str, ServiceItem],
    orgs: dict[int, Org],
    existing: _Existing,
    cases: dict[tuple[int, str], int],
    actor: Staff | None,
) -> set[int]:
    """Special procedures, evaluations and rectifications of the imported cases (`cases`: (org id, ref) → id), in
    bulk. A case created by this import has them as part of its creation; a case that existed gets one event for
    what changed. Returns the ids of existing cases whose details changed."""
    pauses, recorded, evaluations = existing.pauses, existing.recorded, existing.evaluations
    changes: dict[int, dict[str, Any]] = defaultdict(dict)
    new_pauses: list[dict[str, Any]] = []
    changed_pauses: list[CasePause] = []
    dropped_pauses: list[int] = []
    new_evaluations: list[tuple[dict[str, Any], int, Row]] = []
    changed_evaluations: list[Evaluation] = []
    dropped_evaluations: list[int] = []
    new_rects: list[dict[str, Any]] = []
    changed_rects: list[Rectification] = []
    dropped_rects: list[int] = []
    limit = rectification_workdays()
    org_of: dict[int, int] = {}
    rows_of: dict[int, Row] = {}
    for row in rows:
        get: Callable[[str], Any] = row.values.get  # what `row[name]` reads, without a method call each
        org_id = items[get("item_code")].org_id
        case_id = cases[(org_id, get("ref"))]
        org_of[case_id] = org_id
        rows_of[case_id] = row
        pause = pauses.get(case_id)
        wanted = (get("paused_from"), get("paused_to")) if get("paused_from") else None
        if wanted is not None and (case_id, *wanted) in recorded:
            wanted = None if pause is None else wanted
        if pause is not None and wanted is None:
            dropped_pauses.append(pause.pk)
            changes[case_id]["pause"] = None
        elif wanted is not None and pause is None:
            new_pauses.append(
                {
                    "case_id": case_id,
                    "kind": ProcedureKind.OTHER,
                    "reason": LEDGER_REASON,
                    "started_on": wanted[0],
                    "ended_on": wanted[1],
                    "from_ledger": True,
                }
            )
            changes[case_id]["pause"] = wanted
        elif wanted is not None and pause is not None and (pause.started_on, pause.ended_on) != wanted:
            pause.started_on, pause.ended_on = wanted
            changed_pauses.append(pause)
            changes[case_id]["pause"] = wanted
        level = get("evaluation")
        evaluation = evaluations.get(case_id)
        if level is None:
            if evaluation is not None and evaluation.channel == EvaluationChannel.LEDGER:
                dropped_evaluations.append(evaluation.pk)
                changes[case_id]["evaluation"] = None
            continue
        if evaluation is None:
            new_evaluations.append(
                (
                    {
                        "case_id": case_id,
                        "level": level,
                        "channel": EvaluationChannel.LEDGER,
                        "submitted_at": get("concluded_at"),
                    },
                    org_id,
                    row,
                )
            )
            changes[case_id]["evaluation"] = level
            continue
        if evaluation.level != level:
            evaluation.level = level
            changed_evaluations.append(evaluation)
            changes[case_id]["evaluation"] = level
        rect = getattr(evaluation, "rectification", None)
        if level in BAD_LEVELS:
            status = RS.CLOSED if get("rectified_on") else RS.OPEN
            if rect is None:
                new_rects.append(_rectification(evaluation.pk, org_id, row, limit))
                changes[case_id]["rectified_on"] = get("rectified_on")
            elif (rect.status, rect.closed_on) != (status, get("rectified_on")):
                rect.status, rect.closed_on = status, get("rectified_on")
                changed_rects.append(rect)
                changes[case_id]["rectified_on"] = get("rectified_on")
        elif rect is not None:
            dropped_rects.append(rect.pk)
            changes[case_id]["rectified_on"] = None
    Rectification.objects.filter(pk__in=dropped_rects).delete()
    Evaluation.objects.filter(pk__in=dropped_evaluations).delete()
    CasePause.objects.filter(pk__in=dropped_pauses).delete()
    ledger.bulk_insert(CasePause, new_pauses)
    CasePause.objects.bulk_update(changed_pauses, ["started_on", "ended_on"], batch_size=5000)
    evaluation_ids = ledger.bulk_insert(Evaluation, [e for e, _org, _row in new_evaluations])
    Evaluation.objects.bulk_update(changed_evaluations, ["level"], batch_size=5000)
    for evaluation_id, (values, org_id, row) in zip(evaluation_ids, new_evaluations, strict=True):
        if values["level"] in BAD_LEVELS:
            new_rects.append(_rectification(evaluation_id, org_id, row, limit))
            changes[values["case_id"]]["rectified_on"] = row["rectified_on"]
    ledger.bulk_insert(Rectification, new_rects)
    Rectification.objects.bulk_update(changed_rects, ["status", "closed_on"], batch_size=5000)
    existed = existing.ids
    _store_ratings([(pk, rows_of[pk]) for pk, new in changes.items() if pk in existed and _RATING.intersection(new)])
    for pk in [pk for pk in changes if pk not in existed]:
        changes.pop(pk)  # created by this import: its details are part of its creation
    append_events(
        actor=actor,
        events=[
            EventSpec(
                action="ledger.details",
                object_type="cases.case",
                object_id=pk,
                org=orgs[org_of[pk]],
                new=new,
                reason=LEDGER_REASON,
            )
            for pk, new in changes.items()
        ],
    )
    return set(changes)


_RATING = frozenset({"evaluation", "rectified_on"})


def _store_ratings(cases: list[tuple[int, Row]]) -> None:
    """The rating an existing case keeps (zhengwu.cases.work_facts) after its row changed its evaluation: one
    UPDATE per (level, rectified) pair."""
    by_facts: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for pk, row in cases:
        facts = evaluation_facts(row["evaluation"], bool(row["rectified_on"]))
        by_facts[(facts["evaluation_level"], facts["rectified"])].append(pk)
    for (level, rectified), pks in by_facts.items():
        for start in range(0, len(pks), 500):
            Case.objects.filter(pk__in=pks[start : start + 500]).update(evaluation_level=level, rectified=rectified)


def _rectification(evaluation_id: int, org_id: int, row: Row, limit: int) -> dict[str, Any]:
    opened = local(row["concluded_at"]).date()
    return {
        "evaluation_id": evaluation_id,
        "org_id": org_id,
        "opened_on": opened,
        "due_on": add_workdays(opened, limit),
        "status": RS.CLOSED if row["rectified_on"] else RS.OPEN,
        "closed_on": row["rectified_on"],
        "summary": LEDGER_REASON if row["rectified_on"] else "",
    }


def _export(*, org: Org, actor: Staff | None) -> Iterable[Mapping[str, Any]]:
    qs = (
        Case.objects.filter(org__path__startswith=org.path)
        .select_related("item", "evaluation", "evaluation__rectification")
        .prefetch_related("pauses")
        .order_by("org_id", "ref")
    )
    for case in qs.iterator(chunk_size=2000):
        pause = next(iter(case.pauses.all()), None)
        evaluation = getattr(case, "evaluation", None)
        rect = getattr(evaluation, "rectification", None) if evaluation is not None else None
        yield {
            "ref": case.ref,
            "item_code": case.item.code,
            "channel": case.channel,
            "submitted_at": case.submitted_at,
            "accepted_at": case.accepted_at,
            "rejected_at": case.rejected_at,
            "concluded_at": case.concluded_at,
            "decision": case.decision or None,
            "paused_from": pause.started_on if pause else None,
            "paused_to": pause.ended_on if pause else None,
            "visits": case.visits,
            "on_site": case.on_site,
            "fee_yuan": case.fee_yuan,
            "evaluation": evaluation.level if evaluation is not None else None,
            "rectified_on": rect.closed_on if rect is not None else None,
        }


CASES = ledger.register_kind(
    LedgerKind(
        name="cases",
        title="办件",
        columns=COLUMNS,
        importer=_import,
        exporter=_export,
        check=_check,
        validate=_validate,
        permission="cases.import",
        personal_data=False,
    )
)
