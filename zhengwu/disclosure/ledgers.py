"""The four disclosure ledger kinds of spec/cli-and-ledgers.md: requests, disputes, publications, enforcement.

Imports go through `sync_by_ref` (bulk, keyed by ref, idempotent, audited); a request's steps (clarification,
consultation, extension) are kept in their own rows and synced after it, and its due date is computed from the same
clock rules as the workflow's (`build_clock`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from zhengwu.core import clock as core_clock
from zhengwu.core import ledger
from zhengwu.core.audit import EventSpec, append_events
from zhengwu.core.ledger import Column as LedgerColumn
from zhengwu.core.ledger import ImportResult, LedgerKind, Problem, Row
from zhengwu.disclosure.models import (
    Clarification,
    Column,
    Consultation,
    DisclosureRequest,
    Dispute,
    Enforcement,
    Extension,
    IndexCounter,
    IndexScheme,
    Publication,
)
from zhengwu.disclosure.models.publication import DEFAULT_INDEX_PATTERN
from zhengwu.disclosure.models.request import CONSULTATION_WORKDAYS
from zhengwu.disclosure.search import publication_index, publication_terms_sync
from zhengwu.disclosure.services.clock import build_clock
from zhengwu.disclosure.states import (
    ApplicantKind,
    Channel,
    DisputeKind,
    DisputeResult,
    DocType,
    EnforcementKind,
    Outcome,
    PublicationStatus,
    RequestStatus,
)
from zhengwu.workdays import add_workdays, workdays_between

if TYPE_CHECKING:
    from zhengwu.orgs.models import Org, Staff


def _labels(choices: Any) -> dict[str, str]:
    return {str(value): str(label) for value, label in choices.choices}


LEDGER_APPROVER = "台账导入"
CLARIFICATION_DEFAULT_WORKDAYS = 10

# --- disclosure-requests ------------------------------------------------------------------------------------------
REQUEST_COLUMNS = (
    LedgerColumn("ref", "编号", ledger.text(40), required=True),
    LedgerColumn(
        "applicant_kind",
        "申请人类型",
        ledger.choice(_labels(ApplicantKind)),
        required=True,
    ),
    LedgerColumn("applicant_name", "申请人", ledger.text(200), required=True),
    LedgerColumn("channel", "申请方式", ledger.choice(_labels(Channel)), required=True),
    LedgerColumn("received_on", "收到申请日期", ledger.date, required=True),
    LedgerColumn("subject", "申请内容", ledger.text(5000), required=True),
    LedgerColumn("clarification_sent_on", "补正告知日期", ledger.date),
    LedgerColumn("clarification_received_on", "收到补正日期", ledger.date),
    LedgerColumn("consultation_from", "征求意见起", ledger.date),
    LedgerColumn("consultation_to", "征求意见止", ledger.date),
    LedgerColumn("extension_workdays", "延期工作日", ledger.integer(0, 20)),
    LedgerColumn("replied_on", "答复日期", ledger.date),
    LedgerColumn("outcome", "办理结果", ledger.choice({o.value: o.value for o in Outcome})),
    LedgerColumn("fee_yuan", "信息处理费", ledger.yuan),
)


def _request_check(row: Row) -> Iterator[tuple[str, str]]:
    received = row["received_on"]
    if (row["replied_on"] is None) != (row["outcome"] is None):
        yield "outcome", _("答复日期与办理结果须同时填写或同时为空")
    if row["replied_on"] is not None and received is not None and row["replied_on"] < received:
        yield "replied_on", _("答复日期早于收到申请日期")
    sent, back = row["clarification_sent_on"], row["clarification_received_on"]
    if back is not None and sent is None:
        yield "clarification_received_on", _("填写了收到补正日期，但没有补正告知日期")
    if sent is not None and received is not None and sent < received:
        yield "clarification_sent_on", _("补正告知日期早于收到申请日期")
    if sent is not None and back is not None and back < sent:
        yield "clarification_received_on", _("收到补正日期早于补正告知日期")
    c_from, c_to = row["consultation_from"], row["consultation_to"]
    if c_to is not None and c_from is None:
        yield "consultation_to", _("填写了征求意见止，但没有征求意见起")
    if c_from is not None and c_to is not None and c_to < c_from:
        yield "consultation_to", _("征求意见止早于征求意见起")
    if c_from is not None and received is not None and c_from < received:
        yield "consultation_from", _("征求意见起早于收到申请日期")
    if (
        row["replied_on"] is not None
        and sent is not None
        and back is None
        and row["outcome"]
        not in {
            Outcome.OTHER_NO_CLARIFICATION,
            Outcome.UNAVAILABLE_STILL_UNCLEAR,
        }
    ):
        yield "outcome", _("未收到补正即答复的，办理结果应为逾期不补正")


def _request_status(row: Row) -> str:
    if row["replied_on"] is not None:
        return RequestStatus.REPLIED
    if row["clarification_sent_on"] is not None and row["clarification_received_on"] is None:
        return RequestStatus.CLARIFYING
    if row["consultation_from"] is not None and row["consultation_to"] is None:
        return RequestStatus.CONSULTING
    return RequestStatus.PROCESSING


def _row_clock_due(row: Row, division_code: str, today: dt.date) -> dt.date:
    received: dt.date = row["received_on"]
    c_from = row["consultation_from"]
    end_day = min(today, row["replied_on"]) if row["replied_on"] else today
    clock = build_clock(
        received_on=received,
        clarified_on=[row["clarification_received_on"]] if row["clarification_received_on"] else [],
        consultations=[(c_from, row["consultation_to"], add_workdays(c_from, CONSULTATION_WORKDAYS))] if c_from else [],
        extensions=[(row["extension_workdays"], row["clarification_received_on"] or received, LEDGER_APPROVER)]
        if row["extension_workdays"]
        else [],
        division_code=division_code,
        today=end_day,
    )
    return clock.due_on


def _import_requests(*, rows: list[Row], org: Org, actor: Staff | None) -> ImportResult:
    from zhengwu.workdays.selectors import division_code_of

    division_code = division_code_of(org)
    today = core_clock.today()
    records: dict[str, dict[str, Any]] = {}
    for row in rows:
        records[row["ref"]] = {
            "applicant_kind": row["applicant_kind"],
            "applicant_name": row["applicant_name"],
            "channel": row["channel"],
            "received_on": row["received_on"],
            "submitted_on": row["received_on"],
            "subject": row["subject"],
            "replied_on": row["replied_on"],
            "outcome": row["outcome"] or "",
            "fee_yuan": row["fee_yuan"],
            "status": _request_status(row),
            "due_on": _row_clock_due(row, division_code, today),
        }
    existing = set(DisclosureRequest.objects.filter(org=org).values_list("ref", flat=True)) & records.keys()
    result = ledger.sync_by_ref(model=DisclosureRequest, org=org, actor=actor, records=records)
    _sync_request_steps(rows=rows, org=org, actor=actor, audit_refs=existing)
    return result


def _sync_request_steps(*, rows: list[Row], org: Org, actor: Staff | None, audit_refs: set[str]) -> None:
    """Make each request's clarification, consultation and extension rows say what its ledger row says. Changes to
    requests that existed before are audited; a new request's steps come with its `ledger.create` event's file."""
    ids = dict(DisclosureRequest.objects.filter(org=org).values_list("ref", "id"))
    # Requests created by this import have no steps yet: only those that existed before are read (by org, not by
    # a list of ids as long as the file).
    have_clar: dict[int, tuple[Any, Any]] = {}
    have_cons: dict[int, tuple[Any, Any]] = {}
    have_ext: dict[int, Any] = {}
    if audit_refs:
        have_clar = {
            rid: (sent, back)
            for rid, sent, back in Clarification.objects.filter(request__org=org)
            .order_by("sent_on", "id")
            .values_list("request_id", "sent_on", "received_on")
        }
        have_cons = {
            rid: (a, b)
            for rid, a, b in Consultation.objects.filter(request__org=org)
            .order_by("from_on", "id")
            .values_list("request_id", "from_on", "to_on")
        }
        have_ext = dict(
            Extension.objects.filter(request__org=org)
            .values_list("request_id")
            .annotate(n=Sum("workdays"))
            .values_list("request_id", "n")
        )
    drop_clar: list[int] = []
    drop_cons: list[int] = []
    drop_ext: list[int] = []
    new_clar: list[dict[str, Any]] = []
    new_cons: list[dict[str, Any]] = []
    new_ext: list[dict[str, Any]] = []
    events: list[EventSpec] = []
    for row in rows:
        rid = ids[row["ref"]]
        want_clar = (row["clarification_sent_on"], row["clarification_received_on"])
        want_cons = (row["consultation_from"], row["consultation_to"])
        want_ext = row["extension_workdays"] or None
        changed: dict[str, Any] = {}
        if have_clar.get(rid, (None, None)) != want_clar:
            drop_clar.append(rid)
            changed["clarification"] = want_clar
            if want_clar[0] is not None:
                sent, back = want_clar
                deadline = max(add_workdays(sent, CLARIFICATION_DEFAULT_WORKDAYS), back or sent)
                new_clar.append({"request_id": rid, "sent_on": sent, "received_on": back, "deadline": deadline})
        if have_cons.get(rid, (None, None)) != want_cons:
            drop_cons.append(rid)
            changed["consultation"] = want_cons
            if want_cons[0] is not None:
                a, b = want_cons
                new_cons.append(
                    {"request_id": rid, "from_on": a, "to_on": b, "deadline": add_workdays(a, CONSULTATION_WORKDAYS)}
                )
        if have_ext.get(rid) != want_ext:
            drop_ext.append(rid)
            changed["extension_workdays"] = want_ext
            if want_ext:
                granted = row["clarification_received_on"] or row["received_on"]
                new_ext.append(
                    {
                        "request_id": rid,
                        "workdays": want_ext,
                        "granted_on": granted,
                        "approved_by": LEDGER_APPROVER,
                        "reason": LEDGER_APPROVER,
                    }
                )
        if changed and row["ref"] in audit_refs:
            events.append(
                EventSpec(
                    action="ledger.steps",
                    object_type="disclosure.disclosurerequest",
                    object_id=rid,
                    org=org,
                    new=changed,
                )
            )
    # Only requests that existed before can have steps to drop.
    old_ids = {ids[ref] for ref in audit_refs}
    drop_clar = [rid for rid in drop_clar if rid in old_ids]
    drop_cons = [rid for rid in drop_cons if rid in old_ids]
    drop_ext = [rid for rid in drop_ext if rid in old_ids]
    if drop_clar:
        Clarification.objects.filter(request_id__in=drop_clar).delete()
    if drop_cons:
        Consultation.objects.filter(request_id__in=drop_cons).delete()
    if drop_ext:
        Extension.objects.filter(request_id__in=drop_ext).delete()
    ledger.bulk_insert(Clarification, new_clar)
    ledger.bulk_insert(Consultation, new_cons)
    ledger.bulk_insert(Extension, new_ext)
    append_events(actor=actor, events=events)


def _export_requests(*, org: Org, actor: Staff | None) -> Iterable[Mapping[str, Any]]:
    qs = (
        DisclosureRequest.objects.filter(org=org)
        .exclude(status__in=[RequestStatus.SUBMITTED, RequestStatus.TRANSFERRED])
        .prefetch_related("clarifications", "consultations", "extensions")
        .order_by("received_on", "ref")
    )
    for r in qs.iterator(chunk_size=2000):
        clar = list(r.clarifications.all())[:1]
        cons = list(r.consultations.all())[:1]
        ext = sum(e.workdays for e in r.extensions.all())
        yield {
            "ref": r.ref,
            "applicant_kind": r.applicant_kind,
            "applicant_name": r.applicant_name,
            "channel": r.channel,
            "received_on": r.received_on,
            "subject": r.subject,
            "clarification_sent_on": clar[0].sent_on if clar else None,
            "clarification_received_on": clar[0].received_on if clar else None,
            "consultation_from": cons[0].from_on if cons else None,
            "consultation_to": cons[0].to_on if cons else None,
            "extension_workdays": ext or None,
            "replied_on": r.replied_on,
            "outcome": r.outcome or None,
            "fee_yuan": r.fee_yuan,
        }


REQUESTS = ledger.register_kind(
    LedgerKind(
        name="disclosure-requests",
        title="依申请公开台账",
        columns=REQUEST_COLUMNS,
        importer=_import_requests,
        exporter=_export_requests,
        check=_request_check,
        permission="disclosure.ledger",
        personal_data=True,
    )
)


# --- disclosure-disputes ------------------------------------------------------------------------------------------
def _dispute_check(row: Row) -> Iterator[tuple[str, str]]:
    if (row["decided_on"] is None) != (row["result"] is None):
        yield "result", _("结案日期与结果须同时填写或同时为空")
    if row["decided_on"] is not None and row["filed_on"] is not None and row["decided_on"] < row["filed_on"]:
        yield "decided_on", _("结案日期早于立案日期")


def _dispute_validate(*, rows: list[Row], org: Org, actor: Staff | None) -> Iterator[Problem]:
    wanted = {r["request_ref"] for r in rows if r["request_ref"]}
    known = set(DisclosureRequest.objects.filter(org=org, ref__in=wanted).values_list("ref", flat=True))
    for r in rows:
        if r["request_ref"] and r["request_ref"] not in known:
            yield Problem(r.line, "request_ref", _("本机关没有这个申请编号：%(r)s") % {"r": r["request_ref"]})


def _import_disputes(*, rows: list[Row], org: Org, actor: Staff | None) -> ImportResult:
    wanted = {r["request_ref"] for r in rows if r["request_ref"]}
    ids = dict(DisclosureRequest.objects.filter(org=org, ref__in=wanted).values_list("ref", "id"))
    records = {
        r["ref"]: {
            "request_id": ids.get(r["request_ref"]) if r["request_ref"] else None,
            "kind": r["kind"],
            "filed_on": r["filed_on"],
            "decided_on": r["decided_on"],
            "result": r["result"] or "",
        }
        for r in rows
    }
    return ledger.sync_by_ref(model=Dispute, org=org, actor=actor, records=records)


def _export_disputes(*, org: Org, actor: Staff | None) -> Iterable[Mapping[str, Any]]:
    for d in Dispute.objects.filter(org=org).select_related("request").order_by("filed_on", "ref"):
        yield {
            "ref": d.ref,
            "request_ref": d.request.ref if d.request else None,
            "kind": d.kind,
            "filed_on": d.filed_on,
            "decided_on": d.decided_on,
            "result": d.result or None,
        }


DISPUTES = ledger.register_kind(
    LedgerKind(
        name="disclosure-disputes",
        title="行政复议、行政诉讼台账",
        columns=(
            LedgerColumn("ref", "编号", ledger.text(40), required=True),
            LedgerColumn("request_ref", "关联申请编号", ledger.text(40)),
            LedgerColumn("kind", "类型", ledger.choice(_labels(DisputeKind)), required=True),
            LedgerColumn("filed_on", "立案日期", ledger.date, required=True),
            LedgerColumn("decided_on", "结案日期", ledger.date),
            LedgerColumn("result", "结果", ledger.choice(_labels(DisputeResult))),
        ),
        importer=_import_disputes,
        exporter=_export_disputes,
        check=_dispute_check,
        validate=_dispute_validate,
        permission="disclosure.ledger",
    )
)


# --- publications -------------------------------------------------------------------------------------------------
def _publication_check(row: Row) -> Iterator[tuple[str, str]]:
    formed, published, repealed = row["formed_on"], row["published_on"], row["repealed_on"]
    if published is not None and formed is not None and published < formed:
        yield "published_on", _("公开日期早于形成日期")
    if repealed is not None and published is None:
        yield "repealed_on", _("填写了废止日期，但没有公开日期")
    if repealed is not None and published is not None and repealed < published:
        yield "repealed_on", _("废止日期早于公开日期")


def _import_publications(*, rows: list[Row], org: Org, actor: Staff | None) -> ImportResult:
    columns = {c.code: c for c in Column.objects.filter(org=org)}
    by_name = {c.name: c for c in columns.values()}
    for r in rows:
        key = r["column"]
        if key not in columns and key not in by_name:
            col = Column.objects.create(org=org, code=key[:40], name=key[:100])
            columns[col.code] = by_name[col.name] = col
    existing = dict(
        Publication.objects.filter(org=org, ref__in=[r["ref"] for r in rows]).values_list("ref", "index_no")
    )
    scheme = IndexScheme.objects.filter(org=org).first()
    pattern = scheme.pattern if scheme else DEFAULT_INDEX_PATTERN
    prefix = scheme.prefix if scheme and scheme.prefix else org.code
    by_year: dict[int, list[Row]] = {}
    for r in rows:
        if r["ref"] not in existing:
            by_year.setdefault(r["formed_on"].year, []).append(r)
    for year, year_rows in by_year.items():
        counter, _created = IndexCounter.objects.select_for_update().get_or_create(org=org, year=year)
        for r in year_rows:
            counter.last += 1
            existing[r["ref"]] = pattern.format(org=prefix, prefix=prefix, year=year, seq=counter.last)
        counter.save(update_fields=["last"])
    records = {}
    for r in rows:
        col = columns.get(r["column"]) or by_name[r["column"]]
        published = r["published_on"]
        status = (
            PublicationStatus.REPEALED
            if r["repealed_on"]
            else PublicationStatus.PUBLISHED
            if published
            else PublicationStatus.DRAFT
        )
        records[r["ref"]] = {
            "index_no": existing[r["ref"]],
            "title": r["title"],
            "document_no": r["document_no"] or "",
            "doc_type": r["doc_type"],
            "column_id": col.pk,
            "formed_on": r["formed_on"],
            "published_on": published,
            "repealed_on": r["repealed_on"],
            "status": status,
            "publish_workdays": workdays_between(r["formed_on"], published) if published else None,
            "issuing_org_name": org.name,
        }
    # What the word rows hold now: a new or retitled (or renumbered) publication is indexed again; one whose words
    # stay but whose catalog date, status or column changes gets its word rows' copy brought in step.
    before = {
        ref: (title, document_no, (status, published, column_id))
        for ref, title, document_no, status, published, column_id in Publication.objects.filter(
            org=org, ref__in=list(records)
        ).values_list("ref", "title", "document_no", "status", "published_on", "column_id")
    }
    result = ledger.sync_by_ref(model=Publication, org=org, actor=actor, records=records)
    fresh: list[str] = []
    moved: list[str] = []
    for ref, values in records.items():
        old = before.get(ref)
        if old is None or old[:2] != (values["title"], values["document_no"]):
            fresh.append(ref)
        elif old[2] != (values["status"], values["published_on"], values["column_id"]):
            moved.append(ref)
    for start in range(0, len(fresh), 5000):
        publication_index(Publication.objects.filter(org=org, ref__in=fresh[start : start + 5000]))
    for start in range(0, len(moved), 5000):
        publication_terms_sync(
            Publication.objects.filter(org=org, ref__in=moved[start : start + 5000]).only(
                "id", "org_id", "column_id", "status", "published_on"
            )
        )
    return result


def _export_publications(*, org: Org, actor: Staff | None) -> Iterable[Mapping[str, Any]]:
    qs = Publication.objects.filter(org=org).select_related("column").order_by("formed_on", "ref")
    for p in qs.defer("body", "body_text").iterator(chunk_size=2000):
        yield {
            "ref": p.ref,
            "title": p.title,
            "document_no": p.document_no or None,
            "doc_type": p.doc_type,
            "column": p.column.code,
            "formed_on": p.formed_on,
            "published_on": p.published_on,
            "repealed_on": p.repealed_on,
        }


PUBLICATIONS = ledger.register_kind(
    LedgerKind(
        name="publications",
        title="主动公开信息台账",
        columns=(
            LedgerColumn("ref", "编号", ledger.text(40), required=True),
            LedgerColumn("title", "标题", ledger.text(300), required=True),
            LedgerColumn("document_no", "文号", ledger.text(100)),
            LedgerColumn("doc_type", "文件类型", ledger.choice(_labels(DocType)), required=True),
            LedgerColumn("column", "栏目", ledger.text(100), required=True),
            LedgerColumn("formed_on", "形成日期", ledger.date, required=True),
            LedgerColumn("published_on", "公开日期", ledger.date),
            LedgerColumn("repealed_on", "废止日期", ledger.date),
        ),
        importer=_import_publications,
        exporter=_export_publications,
        check=_publication_check,
        permission="disclosure.ledger",
    )
)


# --- enforcement --------------------------------------------------------------------------------------------------
def _import_enforcement(*, rows: list[Row], org: Org, actor: Staff | None) -> ImportResult:
    records = {r["ref"]: {"kind": r["kind"], "decided_on": r["decided_on"]} for r in rows}
    return ledger.sync_by_ref(model=Enforcement, org=org, actor=actor, records=records)


def _export_enforcement(*, org: Org, actor: Staff | None) -> Iterable[Mapping[str, Any]]:
    for e in Enforcement.objects.filter(org=org).order_by("decided_on", "ref"):
        yield {"ref": e.ref, "kind": e.kind, "decided_on": e.decided_on}


ENFORCEMENT = ledger.register_kind(
    LedgerKind(
        name="enforcement",
        title="行政处罚、行政强制决定台账",
        columns=(
            LedgerColumn("ref", "编号", ledger.text(40), required=True),
            LedgerColumn("kind", "类型", ledger.choice(_labels(EnforcementKind)), required=True),
            LedgerColumn("decided_on", "决定日期", ledger.date, required=True),
        ),
        importer=_import_enforcement,
        exporter=_export_enforcement,
        permission="disclosure.ledger",
    )
)
