"""REST endpoints: service_report (included in /api/v1/ without a namespace of their own)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
