"""The service statistics' place in the workspace menu; registered when the staff URLs are loaded."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from zhengwu.reports.service.policies import VIEW
from zhengwu.staff.nav import register_nav


def register() -> None:
    register_nav(
        key="service_report",
        label=gettext_lazy("政务服务统计"),
        url_name="staff_service_report:dashboard",
        permission=VIEW,
        order=70,
    )
