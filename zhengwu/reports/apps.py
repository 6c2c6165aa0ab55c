from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "zhengwu.reports"
    label = "reports"
    verbose_name = _("统计与报告")

    def ready(self) -> None:
        from zhengwu.reports import policies  # noqa: F401  (registers the permissions)
        from zhengwu.staff.nav import register_nav

        register_nav(
            key="annual_report",
            label=_("信息公开年度报告"),
            url_name="staff_annual_report:index",
            permission="reports.annual.view",
            order=42,
        )
