"""REST endpoints of the disclosure domain (included in /api/v1/ without a namespace of their own)."""

from django.urls import URLPattern, URLResolver, path

from zhengwu.api.v1.disclosure import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("disclosure/requests/", views.RequestListView.as_view(), name="disclosure-request-list"),
    path("disclosure/requests/<int:pk>/", views.RequestDetailView.as_view(), name="disclosure-request-detail"),
    path(
        "disclosure/requests/<int:pk>/<slug:action>/",
        views.RequestActionView.as_view(),
        name="disclosure-request-action",
    ),
    path("disclosure/public/requests/", views.PublicSubmitView.as_view(), name="disclosure-public-request-submit"),
    path(
        "disclosure/public/requests/<str:code>/",
        views.PublicProgressView.as_view(),
        name="disclosure-public-request-progress",
    ),
    path("disclosure/publications/", views.PublicationListView.as_view(), name="disclosure-publication-list"),
    path(
        "disclosure/publications/<int:pk>/", views.PublicationDetailView.as_view(), name="disclosure-publication-detail"
    ),
    path("disclosure/disputes/", views.DisputeListView.as_view(), name="disclosure-dispute-list"),
    path("disclosure/disputes/<int:pk>/decide/", views.DisputeDecideView.as_view(), name="disclosure-dispute-decide"),
]
