"""The public portal: what a citizen on a phone sees first."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhengwu.portal.selectors import portal_site


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"site": portal_site()})
