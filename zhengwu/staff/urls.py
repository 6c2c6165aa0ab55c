from django.urls import path

from zhengwu.staff import views

app_name = "staff"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("", views.home, name="home"),
    path("orgs/", views.org_tree, name="org_tree"),
    path("orgs/<str:code>/", views.org_detail, name="org_detail"),
    path("orgs/<str:code>/children/", views.org_children, name="org_children"),
    path("people/", views.people, name="people"),
    path("audit/", views.audit, name="audit"),
]
