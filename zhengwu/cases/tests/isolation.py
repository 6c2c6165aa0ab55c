"""The cases and catalog pages, endpoints and verbs in the isolation matrix: county A's staff in every role reach
nothing of county B's cases, rectifications, orders or items (B's show "乙县" in the item name and applicant)."""

from __future__ import annotations

from zhengwu.cases.services import (
    Applicant,
    case_accept,
    case_conclude,
    case_submit,
    correction_order_issue,
    evaluation_submit,
)
from zhengwu.catalog.services import ItemContent, MaterialSpec, item_create
from zhengwu.core.tests.isolation import B_MARK, IsolationSpec, World
from zhengwu.orgs import services as org_services
from zhengwu.orgs.models import Org


def _county_cases(county: dict[str, Org], mark: str, code: str) -> dict[str, object]:
    hall = org_services.hall_create(actor=None, org=county["center"], name=f"{mark}政务服务大厅")
    window = org_services.window_create(actor=None, hall=hall, number="A01", name="综合", departments=[county["dept"]])
    item = item_create(
        actor=None,
        org=county["dept"],
        code=code,
        content=ItemContent(
            name=f"{mark}食品经营许可",
            category="licensing",
            statutory_limit_days=20,
            promised_limit_days=10,
            online=True,
            window=window,
            materials=(MaterialSpec("申请书", originals=1),),
        ),
    )
    open_case = case_accept(
        actor=None, case=case_submit(item=item, applicant=Applicant(name=f"{mark}某食品店", phone="13900000000"))
    )
    done = case_submit(item=item, applicant=Applicant(name=f"{mark}某餐馆"))
    done = case_conclude(actor=None, case=case_accept(actor=None, case=done), decision="approved")
    evaluation = evaluation_submit(case=done, level="dissatisfied", channel="portal", comment=f"{mark}差评")
    order = correction_order_issue(actor=None, case=open_case, instruction=f"{mark}纠错")
    return {"item": item, "case": open_case, "rect": evaluation.rectification, "order": order, "window": window}


def _seed(w: World) -> None:
    w.objects["cases_a"] = _county_cases(w.a, "甲县", "A-ITEM-1")
    w.objects["cases_b"] = _county_cases(w.b, B_MARK, "B-ITEM-1")


def _b(w: World, key: str) -> object:
    return w.objects["cases_b"][key]  # type: ignore[index]


def _b_case(w: World) -> dict[str, object]:
    return {"pk": _b(w, "case").pk}  # type: ignore[attr-defined]


def _b_ref(w: World) -> list[str]:
    return [_b(w, "case").ref, "--org", w.b["dept"].code]  # type: ignore[attr-defined]


SPEC = IsolationSpec(
    seed=_seed,
    public={
        "portal_services:guide_list",
        "portal_services:guide_detail",
        "portal_services:guide_checklist",
        "portal_services:apply",
        "portal_services:progress_lookup",
        "portal_services:progress",
        "portal_services:correction_upload",
        "portal_services:rate",
        "portal_services:device",
        "v1:item-list",
        "v1:item-detail",
        "v1:case-progress",
    },
    lists={
        "staff_cases:case_list": lambda w: {},
        "staff_cases:intake": lambda w: {},
        "staff_cases:supervision": lambda w: {},
        "staff_cases:rectification_list": lambda w: {},
        "staff_cases:outbox": lambda w: {},
        "staff_cases:item_list": lambda w: {},
        "staff_cases:item_manage_list": lambda w: {},
        "staff_cases:item_new": lambda w: {},
        "v1:case-list": lambda w: {},
        "v1:supervision-counts": lambda w: {},
    },
    records={
        "staff_cases:case_detail": _b_case,
        "staff_cases:case_notice": _b_case,
        "staff_cases:rectification_detail": lambda w: {"pk": _b(w, "rect").pk},  # type: ignore[attr-defined]
        "staff_cases:item_detail": lambda w: {"code": "B-ITEM-1"},
        "staff_cases:item_edit": lambda w: {"code": "B-ITEM-1"},
        "v1:case-detail": _b_case,
    },
    writes=[
        ("v1:case-action", lambda w: {**_b_case(w), "action": "accept"}, "post", lambda w: {}),
        ("v1:case-action", lambda w: {**_b_case(w), "action": "conclude"}, "post", lambda w: {"decision": "approved"}),
    ],
    form_writes=[
        (
            "staff_cases:item_edit",
            lambda w: {"code": "B-ITEM-1"},
            lambda w: {
                "name": "越权修改",
                "category": "licensing",
                "mode": "promised",
                "statutory_limit_days": "20",
                "promised_limit_days": "5",
                "online_depth": "1",
                "max_visits": "1",
                "fee_yuan": "0",
            },
        ),
        (
            "staff_cases:item_new",
            lambda w: {},
            lambda w: {
                "code": "B-ITEM-2",
                "org": w.b["dept"].pk,
                "name": "越权新建",
                "category": "licensing",
                "mode": "promised",
                "statutory_limit_days": "20",
                "promised_limit_days": "5",
                "online_depth": "1",
                "max_visits": "1",
                "fee_yuan": "0",
            },
        ),
        ("staff_cases:case_action", lambda w: {**_b_case(w), "action": "conclude"}, lambda w: {"decision": "approved"}),
        ("staff_cases:case_action", lambda w: {**_b_case(w), "action": "visit"}, lambda w: {}),
        ("staff_cases:order_respond", lambda w: {"pk": _b(w, "order").pk}, lambda w: {"response": "越权反馈"}),  # type: ignore[attr-defined]
        (
            "staff_cases:rectification_detail",
            lambda w: {"pk": _b(w, "rect").pk},  # type: ignore[attr-defined]
            lambda w: {"action": "callback", "note": "越权回访"},
        ),
    ],
    cli_writes={
        "case show": _b_ref,
        "case accept": _b_ref,
        "case reject": lambda w: [*_b_ref(w), "--reason", "越权"],
        "case correction": lambda w: [*_b_ref(w), "--missing", "申请书"],
        "case pause": lambda w: [*_b_ref(w), "--kind", "hearing", "--reason", "越权"],
        "case resume": _b_ref,
        "case conclude": lambda w: [*_b_ref(w), "--decision", "approved"],
    },
    cli_reads={
        "case list": lambda w: ["--status", "all"],
        "supervision counts": lambda w: [],
        "item list": lambda w: [],
    },
    app_labels={"cases", "catalog"},
)
