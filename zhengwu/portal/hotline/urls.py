"""Public portal pages of the hotline domain."""

from django.urls import path

from zhengwu.portal.hotline import views

app_name = "portal_hotline"
urlpatterns = [
    path("", views.home, name="home"),
    path("web/", views.submit, name="submit"),
    path("mailbox/", views.mailbox, name="mailbox"),
    path("progress/", views.progress, name="progress"),
]
