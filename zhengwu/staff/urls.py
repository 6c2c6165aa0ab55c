from django.urls import path

from zhengwu.staff import views

app_name = "staff"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("", views.home, name="home"),
]
