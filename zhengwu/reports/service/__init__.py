"""Service-hall and hotline statistics (spec/service-metrics.md): metrics, rankings, dashboard and bulletin."""

from zhengwu.reports.service import policies as policies  # registers reports.service.view at import
