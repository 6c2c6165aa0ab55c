"""Public portal pages of the services domain: guides, online application, progress by query code, rating."""

from django.urls import URLPattern, URLResolver, path

from zhengwu.portal.services import views

app_name = "portal_services"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.guide_list, name="guide_list"),
    path("guides/<str:code>/", views.guide_detail, name="guide_detail"),
    path("guides/<str:code>/checklist/", views.guide_checklist, name="guide_checklist"),
    path("guides/<str:code>/apply/", views.apply, name="apply"),
    path("progress/", views.progress_lookup, name="progress_lookup"),
    path("progress/<str:query_code>/", views.progress, name="progress"),
    path("progress/<str:query_code>/correction/", views.correction_upload, name="correction_upload"),
    path("progress/<str:query_code>/rate/", views.rate, name="rate"),
    path("device/", views.device, name="device"),
]
