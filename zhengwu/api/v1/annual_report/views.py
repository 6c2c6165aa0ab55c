"""/api/v1/reports/annual: the annual disclosure report's figures, checks and drafted prose (staff, read-only)."""

from __future__ import annotations

from typing import cast

from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.core.errors import InvalidInput
from zhengwu.orgs.models import Staff
from zhengwu.reports.annual.selectors import annual_report_read, org_for_report


class AnnualReportView(APIView):
    """The report in the JSON shape of spec/annual-report.md, computed now (`reports.annual.view`)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("org", str, required=True, description="Org code."),
            OpenApiParameter("year", int, required=True),
            OpenApiParameter("scope", str, enum=["self", "subtree"], description="Default self."),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        actor = cast(Staff, request.user)
        code = request.query_params.get("org", "")
        raw_year = request.query_params.get("year", "")
        scope = request.query_params.get("scope", "self")
        if not code or not raw_year.isdigit():
            raise InvalidInput("请提供机构代码和年度。", detail={"org": ["required"], "year": ["required"]})
        org = org_for_report(actor=actor, code=code)
        return Response(annual_report_read(actor=actor, org=org, year=int(raw_year), scope=scope))
