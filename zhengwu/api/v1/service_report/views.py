"""/api/v1/reports/service: the service statistics of spec/service-metrics.md, and the rankings built on them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from zhengwu.core import clock
from zhengwu.core.errors import InvalidInput, PermissionDenied
from zhengwu.orgs.models import Org, Staff
from zhengwu.reports.service.metrics import Period, compute_service_metrics, parse_date
from zhengwu.reports.service.policies import org_for_report, orgs_for_actor
from zhengwu.reports.service.rankings import ranking

PARAMETERS = [
    OpenApiParameter("org", str, description="Org code (default: the first org whose statistics you may read)"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day, inclusive (default: this month's first)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, inclusive (default: today)"),
    OpenApiParameter("scope", str, enum=["self", "subtree"], description="default: self"),
]


def _params(request: Request) -> tuple[Org, Period, str]:
    actor: Staff = request.user  # type: ignore[assignment]
    q = request.query_params
    scope = q.get("scope") or "self"
    code = q.get("org")
    if not code:
        mine = orgs_for_actor(actor, limit=1)
        if not mine:
            raise PermissionDenied(_("您没有权限查看政务服务统计。"), detail={"permission": "reports.service.view"})
        code = mine[0].code
    today = clock.today()
    first = parse_date(q["from"], "from") if q.get("from") else today.replace(day=1)
    last = parse_date(q["to"], "to") if q.get("to") else today
    if (last - first).days > 3660:
        raise InvalidInput(_("统计期间不能超过十年。"), detail={"to": ["too_long"]})
    period = Period(first, last)
    return org_for_report(actor, code, scope), period, scope


@extend_schema(parameters=PARAMETERS, responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
def service_report(request: Request) -> Response:
    """`{"org", "from", "to", "scope", "metrics": {code: value}}` — counts, rates (6 places, null on no
    denominator) and durations in workdays (4 places), as spec/service-metrics.md defines them."""
    org, period, scope = _params(request)
    return Response(compute_service_metrics(org=org, date_from=period.first, date_to=period.last, scope=scope))


@extend_schema(
    parameters=[*PARAMETERS, OpenApiParameter("by", str, enum=["org", "window"], description="default: org")],
    responses={200: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
def service_ranking(request: Request) -> Response:
    """Departments (`by=org`) or windows (`by=window`) in rank order: 按时办结率, 满意率, 平均办结时间, 办结件数."""
    org, period, scope = _params(request)
    by = request.query_params.get("by") or "org"
    rows: list[dict[str, Any]] = ranking(org=org, period=period, scope=scope, by=by)
    for row in rows:
        row.pop("id", None)
    return Response(
        {
            "org": {"code": org.code, "name": org.name},
            "from": period.first.isoformat(),
            "to": period.last.isoformat(),
            "scope": scope,
            "by": by,
            "rows": rows,
        }
    )


__all__ = ["service_ranking", "service_report"]
