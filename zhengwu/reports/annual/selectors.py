"""Compute the annual report's three tables in the database: one grouped aggregate query per source table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from zhengwu.cases.models import Case
from zhengwu.cases.states import Decision
from zhengwu.catalog.models import Category
from zhengwu.core import clock
from zhengwu.core.errors import InvalidInput, NotFound, PermissionDenied
from zhengwu.disclosure.models import DisclosureRequest, Dispute, Enforcement, FeeNotice, Publication
from zhengwu.disclosure.states import (
    ApplicantKind,
    DisputeKind,
    DisputeResult,
    DocType,
    EnforcementKind,
    Outcome,
    RequestStatus,
)
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org, Staff

SCOPES = ("self", "subtree")
FIRST_YEAR = 2008  # 《中华人民共和国政府信息公开条例》 in force from 1 May 2008

COLUMNS = tuple(ApplicantKind.values)  # natural_person, enterprise, research, public_welfare, legal_service, other_org
OUTCOME_ROWS = tuple(Outcome.values)
REQUEST_ROWS = ("new", "carried_in", *OUTCOME_ROWS, "concluded_total", "carried_out")
PROACTIVE_DOC_ROWS = (DocType.REGULATION.value, DocType.NORMATIVE_DOCUMENT.value)
DISPUTE_ROWS = tuple(DisputeKind.values)
DISPUTE_CELLS = ("upheld", "corrected", "other", "pending", "total")


def validate_params(*, year: int, scope: str) -> None:
    """Raise InvalidInput for a year the report cannot exist for, or an unknown scope."""
    errors: dict[str, list[str]] = {}
    if not isinstance(year, int) or not FIRST_YEAR <= year <= clock.today().year:
        errors["year"] = [f"年度应在{FIRST_YEAR}至{clock.today().year}之间。"]
    if scope not in SCOPES:
        errors["scope"] = ["范围应为 self 或 subtree。"]
    if errors:
        raise InvalidInput("报告参数有误。", detail=errors)


def org_filter(org: Org, scope: str, field: str = "org") -> Q:
    if scope == "subtree":
        return Q(**{f"{field}__path__startswith": org.path})
    return Q(**{f"{field}_id": org.pk})


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _key(code: str) -> str:
    return code.replace(".", "__")


def _requests(org: Org, year: int, scope: str) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Table B, grouped by applicant kind in one query; also the requests still open on 31 Dec (for the check)."""
    start, end = _year_bounds(year)
    in_year = Q(replied_on__gte=start, replied_on__lte=end)
    aggregates: dict[str, Any] = {
        "new": Count("pk", filter=Q(received_on__gte=start)),
        "carried_in": Count("pk", filter=Q(received_on__lt=start)),
        "open_at_end": Count("pk", filter=Q(replied_on__isnull=True) | Q(replied_on__gt=end)),
    }
    for code in OUTCOME_ROWS:
        aggregates[_key(code)] = Count("pk", filter=in_year & Q(outcome=code))
    rows = (
        DisclosureRequest.objects.filter(org_filter(org, scope))
        # A transferred request is answered (and counted) by the org it was transferred to.
        .exclude(status=RequestStatus.TRANSFERRED)
        .filter(received_on__lte=end)
        .filter(Q(replied_on__isnull=True) | Q(replied_on__gte=start))
        .values("applicant_kind")
        .order_by("applicant_kind")
        .annotate(**aggregates)
    )
    table = {row: dict.fromkeys((*COLUMNS, "total"), 0) for row in REQUEST_ROWS}
    open_at_end = dict.fromkeys((*COLUMNS, "total"), 0)
    groups: list[dict[str, Any]] = list(rows)  # type: ignore[arg-type]
    for group in groups:  # at most six groups, one per applicant kind
        col = group["applicant_kind"]
        table["new"][col] = group["new"]
        table["carried_in"][col] = group["carried_in"]
        for code in OUTCOME_ROWS:
            table[code][col] = group[_key(code)]
        open_at_end[col] = group["open_at_end"]
    for col in COLUMNS:
        concluded = sum(table[code][col] for code in OUTCOME_ROWS)
        table["concluded_total"][col] = concluded
        table["carried_out"][col] = table["new"][col] + table["carried_in"][col] - concluded
    for row in REQUEST_ROWS:
        table[row]["total"] = sum(table[row][col] for col in COLUMNS)
    open_at_end["total"] = sum(open_at_end[col] for col in COLUMNS)
    return table, open_at_end


def _proactive(org: Org, year: int, scope: str) -> dict[str, dict[str, Any]]:
    start, end = _year_bounds(year)
    pubs = (
        Publication.objects.filter(org_filter(org, scope), doc_type__in=PROACTIVE_DOC_ROWS, published_on__isnull=False)
        .values("doc_type")
        .order_by("doc_type")
        .annotate(
            issued=Count("pk", filter=Q(published_on__gte=start, published_on__lte=end)),
            repealed=Count("pk", filter=Q(repealed_on__gte=start, repealed_on__lte=end)),
            in_force=Count(
                "pk", filter=Q(published_on__lte=end) & (Q(repealed_on__isnull=True) | Q(repealed_on__gt=end))
            ),
        )
    )
    table: dict[str, dict[str, Any]] = {
        code: {"issued": 0, "repealed": 0, "in_force": 0} for code in PROACTIVE_DOC_ROWS
    }
    for group in pubs:
        table[group["doc_type"]] = {k: group[k] for k in ("issued", "repealed", "in_force")}

    lo = dt.datetime.combine(start, dt.time.min, tzinfo=clock.SHANGHAI)
    hi = dt.datetime.combine(dt.date(year + 1, 1, 1), dt.time.min, tzinfo=clock.SHANGHAI)
    cases = Case.objects.filter(org_filter(org, scope), concluded_at__gte=lo, concluded_at__lt=hi).aggregate(
        licensing=Count(
            "pk",
            filter=Q(item_version__category=Category.LICENSING, decision__in=[Decision.APPROVED, Decision.DENIED]),
        ),
        fees=Sum("fee_yuan"),
    )
    table["licensing"] = {"decisions": cases["licensing"]}

    enforcement = Enforcement.objects.filter(
        org_filter(org, scope), decided_on__gte=start, decided_on__lte=end
    ).aggregate(
        punishment=Count("pk", filter=Q(kind=EnforcementKind.PUNISHMENT)),
        coercion=Count("pk", filter=Q(kind=EnforcementKind.COERCION)),
    )
    table["punishment"] = {"decisions": enforcement["punishment"]}
    table["coercion"] = {"decisions": enforcement["coercion"]}
    fees = (cases["fees"] or Decimal("0")) / Decimal(10000)
    # A string keeps the four decimals exact in JSON (万元).
    table["administrative_fee"] = {"amount_10k_yuan": str(fees.quantize(Decimal("0.0001")))}
    return table


def _review_litigation(org: Org, year: int, scope: str) -> dict[str, dict[str, int]]:
    start, end = _year_bounds(year)
    decided = Q(decided_on__lte=end)
    rows = (
        Dispute.objects.filter(org_filter(org, scope), filed_on__gte=start, filed_on__lte=end)
        .values("kind")
        .order_by("kind")
        .annotate(
            upheld=Count("pk", filter=decided & Q(result=DisputeResult.UPHELD)),
            corrected=Count("pk", filter=decided & Q(result=DisputeResult.CORRECTED)),
            other=Count("pk", filter=decided & Q(result=DisputeResult.OTHER)),
            pending=Count("pk", filter=Q(decided_on__isnull=True) | Q(decided_on__gt=end)),
            total=Count("pk"),
        )
    )
    table = {row: dict.fromkeys(DISPUTE_CELLS, 0) for row in DISPUTE_ROWS}
    groups: list[dict[str, Any]] = list(rows)  # type: ignore[arg-type]
    for group in groups:
        table[group["kind"]] = {cell: group[cell] for cell in DISPUTE_CELLS}
    return table


def _fees_charged(org: Org, year: int, scope: str) -> dict[str, Any]:
    """Processing fees paid in the year (spec/fees.md → section 六)."""
    start, end = _year_bounds(year)
    agg = FeeNotice.objects.filter(
        org_filter(org, scope, "request__org"), paid_on__gte=start, paid_on__lte=end
    ).aggregate(requests=Count("request", distinct=True), yuan=Sum("amount"))
    return {"requests": agg["requests"], "yuan": str((agg["yuan"] or Decimal("0")).quantize(Decimal("0.01")))}


def _checks(
    requests: dict[str, dict[str, int]], open_at_end: dict[str, int], disputes: dict[str, dict[str, int]]
) -> list[dict[str, Any]]:
    t = requests
    carried_ok = all(t["carried_out"][c] == open_at_end[c] for c in (*COLUMNS, "total"))
    rows_ok = all(t[row]["total"] == sum(t[row][c] for c in COLUMNS) for row in REQUEST_ROWS)
    concluded_ok = all(t["concluded_total"][c] == sum(t[code][c] for code in OUTCOME_ROWS) for c in (*COLUMNS, "total"))
    disputes_ok = all(d["total"] == d["upheld"] + d["corrected"] + d["other"] + d["pending"] for d in disputes.values())
    return [
        {
            "code": "carried_out",
            "ok": carried_ok,
            "detail": (
                f"结转下年度 {t['carried_out']['total']} = 新收 {t['new']['total']} + 上年结转 "
                f"{t['carried_in']['total']} − 办结 {t['concluded_total']['total']}；"
                f"截至12月31日尚未答复的申请 {open_at_end['total']} 件"
            ),
        },
        {"code": "requests_row_totals", "ok": rows_ok, "detail": "每行总计等于六类申请人之和"},
        {"code": "concluded_total", "ok": concluded_ok, "detail": "（七）总计等于各办理结果之和"},
        {"code": "review_litigation_totals", "ok": disputes_ok, "detail": "复议、诉讼各项总计等于各结果之和"},
    ]


def draft_sections(report: dict[str, Any], fees: dict[str, Any]) -> dict[str, str]:
    """The prose an officer starts from (sections 一, 五, 六), drafted from the figures."""
    p, r, c = report["proactive"], report["requests"], report["review_litigation"]
    name, year = report["org"]["name"], report["year"]
    reconsideration = c["reconsideration"]["total"]
    litigation = c["litigation_direct"]["total"] + c["litigation_after_reconsideration"]["total"]
    overview = (
        f"{year}年，{name}认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政府信息公开工作。\n"
        f"（一）主动公开。本年度制发规章{p['regulation']['issued']}件、行政规范性文件"
        f"{p['normative_document']['issued']}件，废止行政规范性文件{p['normative_document']['repealed']}件，"
        f"现行有效行政规范性文件{p['normative_document']['in_force']}件；公开行政许可决定"
        f"{p['licensing']['decisions']}件、行政处罚决定{p['punishment']['decisions']}件、行政强制决定"
        f"{p['coercion']['decisions']}件。\n"
        f"（二）依申请公开。本年度共新收政府信息公开申请{r['new']['total']}件，上年结转"
        f"{r['carried_in']['total']}件；办结{r['concluded_total']['total']}件，其中予以公开{r['open']['total']}件、"
        f"部分公开{r['partial']['total']}件；结转下年度继续办理{r['carried_out']['total']}件。\n"
        f"（三）政府信息管理。（请补充）\n"
        f"（四）平台建设。（请补充）\n"
        f"（五）监督保障。本年度发生政府信息公开行政复议{reconsideration}件、行政诉讼{litigation}件。"
    )
    corrected = sum(row["corrected"] for row in c.values())
    problems = (
        "本年度政府信息公开工作仍存在一些不足：（请补充）。下一步将继续加强政府信息公开工作。"
        if not corrected
        else f"本年度有{corrected}件政府信息公开行政复议、行政诉讼案件结果被纠正，"
        "反映出依申请公开答复的规范性仍需提高。下一步将加强答复审核和业务培训。"
    )
    if fees["requests"]:
        other = f"本年度共对{fees['requests']}件政府信息公开申请收取信息处理费，合计{fees['yuan']}元。"
    else:
        other = "本年度未收取政府信息公开信息处理费。"
    return {"overview": overview, "problems": problems, "other": other}


def compute_annual_report(*, org: Org, year: int, scope: str = "self") -> dict[str, Any]:
    """The report in the spec's JSON shape, every row and cell present. Reads only; six aggregate queries."""
    validate_params(year=year, scope=scope)
    requests, open_at_end = _requests(org, year, scope)
    disputes = _review_litigation(org, year, scope)
    report: dict[str, Any] = {
        "org": {"code": org.code, "name": org.name},
        "year": year,
        "scope": scope,
        "proactive": _proactive(org, year, scope),
        "requests": requests,
        "review_litigation": disputes,
        "checks": _checks(requests, open_at_end, disputes),
    }
    report["sections"] = draft_sections(report, _fees_charged(org, year, scope))
    return report


def checks_pass(report: dict[str, Any]) -> bool:
    return all(check["ok"] for check in report["checks"])


def annual_report_read(*, actor: Staff | None, org: Org, year: int, scope: str = "self") -> dict[str, Any]:
    """compute_annual_report for someone who may see it: `reports.annual.view` over the whole scope."""
    validate_params(year=year, scope=scope)
    if not policies.can(actor, "reports.annual.view", org):
        raise PermissionDenied("您没有权限查看该机关的年度报告。", detail={"permission": "reports.annual.view"})
    if scope == "subtree":
        subtree = Org.objects.filter(path__startswith=org.path)
        visible = subtree.filter(policies.org_q(actor, "reports.annual.view", ""))
        if visible.count() != subtree.count():
            raise PermissionDenied("您没有权限查看下级机关的数据。", detail={"permission": "reports.annual.view"})
    return compute_annual_report(org=org, year=year, scope=scope)


def org_for_report(*, actor: Staff | None, code: str) -> Org:
    """The org by code, if the actor may see its report; otherwise not found (another county's orgs stay unknown)."""
    org = Org.objects.filter(code=code, is_active=True).first()
    if org is None or not policies.can(actor, "reports.annual.view", org):
        raise NotFound(f"没有这个机构：{code}", detail={"org": ["not_found"]})
    return org
