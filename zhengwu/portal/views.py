"""The public portal: what a citizen on a phone sees first."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhengwu.orgs.models import Org, OrgKind


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    governments = Org.objects.filter(kind=OrgKind.GOVERNMENT, is_active=True, depth=0).order_by("name")[:10]
    return render(request, "portal/home.html", {"governments": governments})
