"""/api/: the versioned REST interface and its OpenAPI schema."""

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import DefaultRouter

from zhengwu.api.v1 import orgs

router = DefaultRouter()
router.register("orgs", orgs.OrgViewSet, basename="org")

v1: list[URLPattern | URLResolver] = [
    path("me/", orgs.me, name="me"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("v1/", include((v1, "v1"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="schema"), name="api-docs"),
]
