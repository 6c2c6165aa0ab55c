"""The staff workspace shell: login with lockout, logout, and the home page of the user's tasks."""

from __future__ import annotations

from typing import Any

from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.forms import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from zhengwu.staff import lockout


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


class LockoutAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确。"),
        "locked": _("登录失败次数过多，账号已暂时锁定，请 15 分钟后再试或联系管理员。"),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request) if self.request else ""
        if username and lockout.is_locked(username, address):
            raise ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except ValidationError:
            if username:
                lockout.register_failure(username, address)
            raise
        lockout.clear(username)
        return cleaned


class LoginView(auth_views.LoginView):
    template_name = "staff/login.html"
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return auth_views.redirect_to_login("/staff/")


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    from zhengwu.staff.tasks import tasks_for

    memberships = request.user.memberships.select_related("org").order_by("org__path")  # type: ignore[union-attr]
    return render(request, "staff/home.html", {"memberships": memberships, "tasks": tasks_for(request.user)})
