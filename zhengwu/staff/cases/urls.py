"""Staff pages of the cases domain."""

from django.urls import URLPattern, URLResolver

app_name = "staff_cases"
urlpatterns: list[URLPattern | URLResolver] = []
