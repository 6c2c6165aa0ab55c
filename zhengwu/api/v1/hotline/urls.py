"""REST endpoints of the hotline domain (included in /api/v1/ without a namespace of their own)."""

from django.urls import path

from zhengwu.api.v1.hotline import views

urlpatterns = [
    path("hotline/tickets/", views.ticket_list, name="ticket-list"),
    path("hotline/tickets/<int:pk>/", views.ticket_detail, name="ticket-detail"),
    path("hotline/tickets/<int:pk>/<slug:action>/", views.ticket_action, name="ticket-action"),
]
