"""Public hotline pages: the web form, the mayor's mailbox (市长信箱), and progress by query code."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from zhengwu.api import throttling
from zhengwu.core.errors import ApplicationError
from zhengwu.core.http import client_address
from zhengwu.core.querycode import format_query_code, normalise_query_code
from zhengwu.hotline import selectors, services
from zhengwu.hotline.models import Channel, TicketKind
from zhengwu.orgs.models import Org, OrgKind
from zhengwu.portal.selectors import portal_site

PUBLIC_KINDS = [(k.value, k.label) for k in TicketKind]


def _hotlines() -> list[Org]:
    """The governments whose hotline the portal takes tickets for: the roots of the org tree."""
    return list(Org.objects.filter(parent__isnull=True, kind=OrgKind.GOVERNMENT, is_active=True).order_by("path")[:50])


class TicketForm(forms.Form):
    org = forms.CharField(max_length=40, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("诉求类型"), choices=PUBLIC_KINDS)
    content = forms.CharField(label=gettext_lazy("诉求内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    location = forms.CharField(label=gettext_lazy("事发地点"), max_length=200, required=False)
    caller_name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    caller_phone = forms.RegexField(label=gettext_lazy("手机号码"), regex=r"^1[3-9]\d{9}$", max_length=11)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/hotline/home.html", {"site": portal_site()})


def _intake(request: HttpRequest, channel: str, template: str) -> HttpResponse:
    hotlines = _hotlines()
    form = TicketForm(request.POST or None)
    status = 200
    if request.method == "POST":
        allowed, _wait = throttling.allow(scope=throttling.PUBLIC_INTAKE, ident=client_address(request))
        if not allowed:
            form.add_error(None, _("提交过于频繁，请稍后再试。"))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            org = next((o for o in hotlines if o.code == data["org"]), hotlines[0] if len(hotlines) == 1 else None)
            if org is None:
                form.add_error(None, _("请选择受理地区。"))
                status = 400
            else:
                try:
                    created = services.ticket_create(
                        actor=None,
                        org=org,
                        channel=channel,
                        kind=data["kind"],
                        content=data["content"],
                        location=data["location"],
                        caller_name=data["caller_name"],
                        caller_phone=data["caller_phone"],
                    )
                except ApplicationError as exc:
                    form.add_error(None, exc.message)
                    status = exc.http_status
                else:
                    t = created.ticket
                    return render(
                        request,
                        "portal/hotline/submitted.html",
                        {"site": portal_site(), "ticket": t, "code": format_query_code(t.query_code)},
                        status=201,
                    )
        else:
            status = 400
    return render(
        request,
        template,
        {"site": portal_site(), "form": form, "hotlines": hotlines, "channel": channel},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    return _intake(request, Channel.WEB, "portal/hotline/submit.html")


@require_http_methods(["GET", "POST"])
def mailbox(request: HttpRequest) -> HttpResponse:
    return _intake(request, Channel.MAILBOX, "portal/hotline/submit.html")


@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("code", "")
    ticket = None
    if raw:
        allowed, _wait = throttling.allow(scope="anon", ident=client_address(request))
        ticket = selectors.ticket_by_query_code(normalise_query_code(raw)) if allowed else None
    return render(
        request,
        "portal/hotline/progress.html",
        {"site": portal_site(), "ticket": ticket, "code": raw[:20], "searched": bool(raw)},
        status=404 if raw and ticket is None else 200,
    )
