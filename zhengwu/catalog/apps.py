from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "zhengwu.catalog"
    label = "catalog"
    verbose_name = _("事项目录")

    def ready(self) -> None:
        from zhengwu.catalog import ledger, policies  # noqa: F401 — registers permissions and the `items` ledger
