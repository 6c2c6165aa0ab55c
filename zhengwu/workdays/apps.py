from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "zhengwu.workdays"
    label = "workdays"
    verbose_name = _("工作日与时限")

    def ready(self) -> None:
        from zhengwu.workdays import checks, policies  # noqa: F401 — registers the permission and the check
