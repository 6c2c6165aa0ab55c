"""Staff pages: annual_report."""

from django.urls import URLPattern, URLResolver, path

from zhengwu.staff.annual_report import views

app_name = "staff_annual_report"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("open/", views.open_report, name="open"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("versions/<int:pk>/", views.version, name="version"),
    path("versions/<int:pk>/publish/", views.publish, name="publish"),
    path("versions/<int:pk>/download/<str:fmt>/", views.download, name="download"),
    path("<str:code>/<int:year>/<str:scope>/", views.report, name="report"),
    path("<str:code>/<int:year>/<str:scope>/draft/", views.draft, name="draft"),
]
