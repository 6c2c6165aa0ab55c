"""Public portal pages: published annual reports."""

from django.urls import URLPattern, URLResolver

app_name = "portal_annual_report"
urlpatterns: list[URLPattern | URLResolver] = []
