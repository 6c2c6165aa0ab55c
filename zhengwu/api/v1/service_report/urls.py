"""REST endpoints: service_report (included in /api/v1/ without a namespace of their own)."""

from django.urls import URLPattern, URLResolver, path

from zhengwu.api.v1.service_report import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("reports/service", views.service_report, name="service-report"),
    path("reports/service/ranking", views.service_ranking, name="service-report-ranking"),
]
