"""Staff pages of the disclosure domain."""

from django.urls import URLPattern, URLResolver, path

from zhengwu.staff.disclosure import views

app_name = "staff_disclosure"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.workbench, name="workbench"),
    path("requests/new/", views.request_register, name="request_register"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/<slug:action>/", views.request_action, name="request_action"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("disputes/", views.dispute_list, name="dispute_list"),
    path("disputes/<int:pk>/decide/", views.dispute_decide, name="dispute_decide"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/<str:org>/<slug:kind>/", views.template_download, name="template_download"),
    path("templates/<str:org>/<slug:kind>/<slug:action>/", views.template_action, name="template_action"),
    path("publications/", views.publication_list, name="publication_list"),
    path("publications/new/", views.publication_new, name="publication_new"),
    path("publications/<int:pk>/", views.publication_edit, name="publication_edit"),
    path("publications/<int:pk>/<slug:action>/", views.publication_action, name="publication_action"),
]
