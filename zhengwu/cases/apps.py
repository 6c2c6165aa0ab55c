from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "zhengwu.cases"
    label = "cases"
    verbose_name = _("办件")

    def ready(self) -> None:
        from zhengwu.cases import ledger, policies  # noqa: F401 — registers permissions and the `cases` ledger
        from zhengwu.cases.hooks import register_hooks

        register_hooks()
