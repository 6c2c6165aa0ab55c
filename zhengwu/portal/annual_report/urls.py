"""Public portal pages: published annual reports."""

from django.urls import URLPattern, URLResolver, path

from zhengwu.portal.annual_report import views

app_name = "portal_annual_report"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.report_list, name="list"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/<str:fmt>/", views.report_download, name="download"),
]
