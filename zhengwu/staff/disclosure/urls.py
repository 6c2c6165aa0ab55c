"""Staff pages of the disclosure domain."""

from django.urls import URLPattern, URLResolver

app_name = "staff_disclosure"
urlpatterns: list[URLPattern | URLResolver] = []
