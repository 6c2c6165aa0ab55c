"""Staff pages: service_report (the leadership dashboard, drill-down, rankings, bulletin, exports)."""

from django.urls import URLPattern, URLResolver, path

from zhengwu.reports.service import wiring
from zhengwu.staff.service_report import views

app_name = "staff_service_report"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.cases, name="cases"),
    path("rankings/", views.rankings, name="rankings"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("export/", views.export, name="export"),
]

wiring.register()
