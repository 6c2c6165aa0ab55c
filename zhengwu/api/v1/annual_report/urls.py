"""REST endpoints: annual_report (included in /api/v1/ without a namespace of their own)."""

from django.urls import URLPattern, URLResolver, path

from zhengwu.api.v1.annual_report import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("reports/annual", views.AnnualReportView.as_view(), name="annual-report"),
]
