"""Top-level URL map: portal at /, staff workspace at /staff/, API at /api/, admin at /admin/."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("zhengwu.api.urls")),
    path("staff/cases/", include("zhengwu.staff.cases.urls")),
    path("staff/disclosure/", include("zhengwu.staff.disclosure.urls")),
    path("staff/hotline/", include("zhengwu.staff.hotline.urls")),
    path("staff/reports/annual/", include("zhengwu.staff.annual_report.urls")),
    path("staff/reports/service/", include("zhengwu.staff.service_report.urls")),
    path("staff/", include("zhengwu.staff.urls")),
    path("services/", include("zhengwu.portal.services.urls")),
    path("disclosure/", include("zhengwu.portal.disclosure.urls")),
    path("hotline/", include("zhengwu.portal.hotline.urls")),
    path("open311/", include("zhengwu.hotline.open311.urls")),
    path("annual-reports/", include("zhengwu.portal.annual_report.urls")),
    path("", include("zhengwu.portal.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "zhengwu.core.views.bad_request"
handler403 = "zhengwu.core.views.permission_denied"
handler404 = "zhengwu.core.views.page_not_found"
handler500 = "zhengwu.core.views.server_error"
