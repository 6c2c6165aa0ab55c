from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "zhengwu.hotline"
    label = "hotline"
    verbose_name = _("12345热线")

    def ready(self) -> None:
        from zhengwu.hotline import (
            config_cache,
            ledger,
            policies,  # noqa: F401 — registers the hotline permissions
            wiring,
        )

        ledger.register()
        config_cache.connect()
        wiring.register()
        from zhengwu.hotline.services.recompute import ticket_due_dates_recompute
        from zhengwu.workdays import register_due_date_recompute

        register_due_date_recompute(ticket_due_dates_recompute)
