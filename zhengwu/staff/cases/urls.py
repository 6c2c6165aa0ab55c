"""Staff pages of the cases domain: window intake, the case list and page, supervision, rectifications, catalog."""

from django.urls import URLPattern, URLResolver, path

from zhengwu.staff.cases import views
from zhengwu.staff.catalog import views as catalog_views

app_name = "staff_cases"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.case_list, name="case_list"),
    path("intake/", views.intake, name="intake"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/act/<slug:action>/", views.case_action, name="case_action"),
    path("<int:pk>/notice/", views.case_notice, name="case_notice"),
    path("supervision/", views.supervision, name="supervision"),
    path("rectifications/", views.rectification_list, name="rectification_list"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification_detail"),
    path("orders/<int:pk>/respond/", views.order_respond, name="order_respond"),
    path("outbox/", views.outbox, name="outbox"),
    path("items/", views.item_list, name="item_list"),
    path("catalog/", catalog_views.item_manage_list, name="item_manage_list"),
    path("catalog/new/", catalog_views.item_new, name="item_new"),
    path("catalog/<str:code>/edit/", catalog_views.item_edit, name="item_edit"),
    path("items/<str:code>/", views.item_detail, name="item_detail"),
]
