"""REST endpoints of the cases domain (included in /api/v1/ without a namespace of their own)."""

from django.urls import URLPattern, URLResolver, path

from zhengwu.api.v1.cases import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/", views.case_list, name="case-list"),
    path("cases/by-code/<str:query_code>/", views.case_progress, name="case-progress"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/<slug:action>/", views.case_action, name="case-action"),
    path("supervision/counts/", views.supervision_counts, name="supervision-counts"),
    path("items/", views.item_list, name="item-list"),
    path("items/<str:code>/", views.item_detail, name="item-detail"),
]
