from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "zhengwu.disclosure"
    label = "disclosure"
    verbose_name = _("政府信息公开")

    def ready(self) -> None:
        from zhengwu.disclosure import ledgers, policies  # noqa: F401 — registers permissions and ledger kinds
        from zhengwu.disclosure.selectors import column_tasks_for, request_tasks_for
        from zhengwu.staff.nav import register_nav
        from zhengwu.staff.tasks import register_source

        register_source(request_tasks_for)
        register_source(column_tasks_for)
        from zhengwu.disclosure.services.clock import request_due_dates_recompute
        from zhengwu.workdays import register_due_date_recompute

        register_due_date_recompute(request_due_dates_recompute)
        register_nav(
            key="disclosure",
            label=_("依申请公开"),
            url_name="staff_disclosure:workbench",
            permission="disclosure.view",
            order=40,
        )
        register_nav(
            key="publications",
            label=_("主动公开"),
            url_name="staff_disclosure:publication_list",
            permission="disclosure.publish",
            order=41,
        )
