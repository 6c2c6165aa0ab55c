"""The hotline's part of the isolation matrix: county A staff cannot see or change county B's tickets."""

from __future__ import annotations

from zhengwu.core.tests.isolation import B_MARK, IsolationSpec, World
from zhengwu.hotline import services
from zhengwu.hotline.models import KnowledgeArticle
from zhengwu.orgs.models import Role
from zhengwu.orgs.tests.factories import make_staff


def _seed(w: World) -> None:
    a = services.ticket_create(
        actor=None,
        org=w.a["gov"],
        channel="phone",
        kind="complaint",
        content="甲县的路灯不亮",
        caller_phone="13800000001",
    ).ticket
    b = services.ticket_create(
        actor=None,
        org=w.b["gov"],
        channel="phone",
        kind="complaint",
        subtype="consumer",
        content=f"{B_MARK}某超市出售过期食品",
        caller_name=f"{B_MARK}王五",
        caller_phone="13900000002",
        location=f"{B_MARK}城关镇",
    ).ticket
    b = services.ticket_dispatch(actor=None, ticket=b, lead=w.b["dept"])
    make_staff(org=w.b["dept"], role=Role.UNIT_HANDLER, username="b_handler")
    w.objects["hotline_a_ticket"] = a
    w.objects["hotline_b_ticket"] = b
    w.objects["hotline_b_article"] = KnowledgeArticle.objects.create(
        org=w.b["gov"], title=f"{B_MARK}社保卡补办", answer=f"{B_MARK}社保局窗口"
    )
    w.objects["hotline_b_client"] = services.api_client_create(actor=None, org=w.b["gov"], name=f"{B_MARK}小程序")[0]
    services.handling_rule_set(actor=None, org=w.b["gov"], kind="complaint", urgency="normal", limit=7)


def _b(w: World) -> dict[str, object]:
    return {"pk": w.objects["hotline_b_ticket"].pk}


SPEC = IsolationSpec(
    seed=_seed,
    public={
        # Open311 is public by design; it lists no caller data and never lists reports (举报).
        "open311:discovery",
        "open311:services",
        "open311:service-definition",
        "open311:requests",
        "open311:request-detail",
        "open311:token",
        # The portal: anyone may submit; progress needs the caller's own query code.
        "portal_hotline:home",
        "portal_hotline:submit",
        "portal_hotline:mailbox",
        "portal_hotline:progress",
    },
    lists={
        "staff_hotline:queue": lambda w: {},
        "staff_hotline:call_new": lambda w: {},
        "staff_hotline:caller_history": lambda w: {},
        "staff_hotline:knowledge": lambda w: {},
        "staff_hotline:inbox": lambda w: {},
        "staff_hotline:supervision": lambda w: {},
        "staff_hotline:cards": lambda w: {},
        "staff_hotline:bulletin": lambda w: {},
        "staff_hotline:knowledge_list": lambda w: {},
        "staff_hotline:settings": lambda w: {},
        "staff_hotline:api_clients": lambda w: {},
        "v1:ticket-list": lambda w: {},
    },
    records={
        "staff_hotline:ticket": _b,
        "v1:ticket-detail": _b,
        "staff_hotline:knowledge_edit": lambda w: {"pk": w.objects["hotline_b_article"].pk},
    },
    writes=[
        (
            "v1:ticket-list",
            lambda w: {},
            "post",
            lambda w: {"org": w.b["gov"].code, "channel": "phone", "kind": "complaint", "content": "越权登记"},
        ),
        ("v1:ticket-action", lambda w: {**_b(w), "action": "accept"}, "post", lambda w: {}),
        ("v1:ticket-action", lambda w: {**_b(w), "action": "return"}, "post", lambda w: {"reason": "越权退单"}),
        ("v1:ticket-action", lambda w: {**_b(w), "action": "urge"}, "post", lambda w: {"note": "越权督办"}),
    ],
    form_writes=[
        (
            "staff_hotline:ticket_action",
            lambda w: {**_b(w), "action": "dispatch"},
            lambda w: {"lead": w.b["dept2"].code},
        ),
        ("staff_hotline:ticket_action", lambda w: {**_b(w), "action": "accept"}, lambda w: {}),
        (
            "staff_hotline:ticket_action",
            lambda w: {**_b(w), "action": "forward"},
            lambda w: {"lead": w.b["station"].code},
        ),
        ("staff_hotline:ticket_action", lambda w: {**_b(w), "action": "reply"}, lambda w: {"content": "越权答复"}),
        ("staff_hotline:cards", lambda w: {}, lambda w: {"month": "2026-10", "org": w.b["gov"].pk}),
        (
            "staff_hotline:knowledge_edit",
            lambda w: {"pk": w.objects["hotline_b_article"].pk},
            lambda w: {"title": "越权修改", "answer": "越权", "kind": "consultation"},
        ),
        (
            "staff_hotline:settings_rule",
            lambda w: {},
            lambda w: {"org": w.b["gov"].pk, "kind": "complaint", "urgency": "normal", "limit": 1, "unit": "hours"},
        ),
        (
            "staff_hotline:settings_rule",
            lambda w: {},
            lambda w: {"org": w.b["gov"].pk, "kind": "complaint", "urgency": "normal", "clear": "on"},
        ),
        (
            "staff_hotline:settings_cards",
            lambda w: {},
            lambda w: {"org": w.b["gov"].pk, "overdue_per_month": 1, "yellows_per_quarter": 1},
        ),
        ("staff_hotline:api_clients", lambda w: {}, lambda w: {"org": w.b["gov"].pk, "name": "越权应用"}),
        ("staff_hotline:api_client_revoke", lambda w: {"pk": w.objects["hotline_b_client"].pk}, lambda w: {}),
    ],
    cli_writes={
        "hotline cards": lambda w: ["--org", w.b["gov"].code, "--month", "2026-10"],
        "hotline client-add": lambda w: ["--org", w.b["gov"].code, "--name", "越权应用"],
        "hotline train": lambda w: ["--org", w.b["gov"].code],
        "hotline bulletin": lambda w: ["--org", w.b["gov"].code, "--month", "2026-10", "-o", "/tmp/zw-isolation.docx"],
    },
    cli_reads={"hotline overdue": lambda w: []},
    app_labels={"hotline"},
)
