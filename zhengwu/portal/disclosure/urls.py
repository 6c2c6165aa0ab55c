"""Public portal pages of the disclosure domain."""

from django.urls import URLPattern, URLResolver

app_name = "portal_disclosure"
urlpatterns: list[URLPattern | URLResolver] = []
