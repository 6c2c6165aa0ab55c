"""Staff pages: annual_report."""

from django.urls import URLPattern, URLResolver

app_name = "staff_annual_report"
urlpatterns: list[URLPattern | URLResolver] = []
