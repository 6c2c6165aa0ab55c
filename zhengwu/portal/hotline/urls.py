"""Public portal pages of the hotline domain."""

from django.urls import URLPattern, URLResolver

app_name = "portal_hotline"
urlpatterns: list[URLPattern | URLResolver] = []
