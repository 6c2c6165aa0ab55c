"""Staff pages of the hotline domain."""

from django.urls import path

from zhengwu.staff.hotline import views

app_name = "staff_hotline"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("call/", views.call_new, name="call_new"),
    path("call/history/", views.caller_history, name="caller_history"),
    path("knowledge/", views.knowledge, name="knowledge"),
    path("knowledge/articles/", views.knowledge_list, name="knowledge_list"),
    path("knowledge/articles/<int:pk>/", views.knowledge_edit, name="knowledge_edit"),
    path("inbox/", views.inbox, name="inbox"),
    path("supervision/", views.supervision, name="supervision"),
    path("cards/", views.cards, name="cards"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("settings/", views.hotline_settings, name="settings"),
    path("settings/rules/", views.settings_rule, name="settings_rule"),
    path("settings/cards/", views.settings_cards, name="settings_cards"),
    path("settings/clients/", views.api_clients, name="api_clients"),
    path("settings/clients/<int:pk>/revoke/", views.api_client_revoke, name="api_client_revoke"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket"),
    path("tickets/<int:pk>/<slug:action>/", views.ticket_action, name="ticket_action"),
]
