"""Public portal pages of the disclosure domain."""

from django.urls import URLPattern, URLResolver, path

from zhengwu.portal.disclosure import views

app_name = "portal_disclosure"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.catalog, name="catalog"),
    path("p/<int:pk>/", views.publication, name="publication"),
    path("p/<int:pk>/files/<int:att>/", views.attachment, name="attachment"),
    path("apply/", views.request_new, name="request_new"),
    path("progress/", views.progress, name="progress"),
    path("progress/<str:code>/documents/<int:pk>/", views.document, name="document"),
]
