"""/api/: the versioned REST interface (v1), its OpenAPI schema and an offline docs page."""

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from zhengwu.api.v1 import audit, auth, orgs, staff

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("orgs", orgs.OrgViewSet, basename="org")
router.register("staff", staff.StaffViewSet, basename="staff")
router.register("audit/events", audit.AuditEventViewSet, basename="audit-event")

v1: list[URLPattern | URLResolver] = [
    path("auth/token/", auth.TokenView.as_view(), name="auth-token"),
    path("me/", orgs.me, name="me"),
    path("audit/verify/", audit.audit_verify, name="audit-verify"),
    path("", include(router.urls)),
    path("", include("zhengwu.api.v1.cases.urls")),
    path("", include("zhengwu.api.v1.disclosure.urls")),
    path("", include("zhengwu.api.v1.hotline.urls")),
    path("", include("zhengwu.api.v1.annual_report.urls")),
    path("", include("zhengwu.api.v1.service_report.urls")),
]

urlpatterns = [
    path("v1/", include((v1, "v1"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]
