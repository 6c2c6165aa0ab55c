"""Staff pages: service_report."""

from django.urls import URLPattern, URLResolver

app_name = "staff_service_report"
urlpatterns: list[URLPattern | URLResolver] = []
