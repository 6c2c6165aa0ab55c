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
    services.api_client_create(actor=None, org=w.b["gov"], name=f"{B_MARK}小程序")


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
    },
    app_labels={"hotline"},
)
