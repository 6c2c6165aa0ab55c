"""Staff pages of the hotline domain."""

from django.urls import URLPattern, URLResolver

app_name = "staff_hotline"
urlpatterns: list[URLPattern | URLResolver] = []
