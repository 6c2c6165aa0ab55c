"""Public pages of information disclosure: the catalog by org and column with search, a publication, the request
form (works on a phone), and progress by query code with the documents issued."""

from __future__ import annotations

import secrets
from typing import Any

import segno
from django import forms
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from zhengwu.core.errors import ApplicationError
from zhengwu.core.querycode import format_query_code
from zhengwu.disclosure import selectors
from zhengwu.disclosure.services import requests as svc
from zhengwu.disclosure.services.clock import request_clock
from zhengwu.disclosure.states import ApplicantKind, DeliveryForm
from zhengwu.orgs.models import Org, OrgKind

PAGE_SIZE = 20


def _orgs() -> list[Org]:
    return list(
        Org.objects.filter(is_active=True, kind__in=[OrgKind.GOVERNMENT, OrgKind.DEPARTMENT]).order_by("path")[:500]
    )


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("org", "")[:40]
    org = Org.objects.filter(code=code, is_active=True).first() if code else None
    columns = list(selectors.catalog_columns(org)) if org else []
    column = next((c for c in columns if c.code == request.GET.get("column", "")), None)
    query = request.GET.get("q", "").strip()[:100]
    # No total count: a page knows only whether another follows (counting every match costs more than the page).
    page = selectors.catalog_publications(org=org, column=column, query=query).page(request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "portal/disclosure/catalog.html",
        {"orgs": _orgs(), "org": org, "columns": columns, "column": column, "query": query, "page": page},
    )


@require_GET
def publication(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.catalog_publication(pk)
    if found is None:
        raise Http404(_("信息不存在。"))
    url = request.build_absolute_uri(reverse("portal_disclosure:publication", kwargs={"pk": found.pk}))
    qr = segno.make(url, error="m").svg_data_uri(scale=3)
    return render(request, "portal/disclosure/publication.html", {"p": found, "qr": qr, "url": url})


@require_GET
def attachment(request: HttpRequest, pk: int, att: int) -> FileResponse:
    found = selectors.catalog_publication(pk)
    item = found.attachments.filter(pk=att).first() if found is not None else None
    if item is None:
        raise Http404(_("附件不存在。"))
    # Served with the type sniffed at upload; never rendered inline as HTML.
    response = FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class RequestForm(forms.Form):
    org = forms.ChoiceField(label=gettext_lazy("向哪个机关申请"))
    applicant_kind = forms.ChoiceField(label=gettext_lazy("申请人类型"), choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label=gettext_lazy("姓名或名称"), max_length=200)
    id_number = forms.CharField(label=gettext_lazy("身份证件号码或统一社会信用代码"), max_length=30, required=False)
    contact_phone = forms.CharField(
        label=gettext_lazy("联系电话"), max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    contact_email = forms.EmailField(label=gettext_lazy("电子邮箱"), required=False)
    contact_address = forms.CharField(label=gettext_lazy("通信地址"), max_length=300, required=False)
    subject = forms.CharField(
        label=gettext_lazy("所需政府信息的名称、文号或便于查询的其他特征性描述"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    delivery_form = forms.ChoiceField(label=gettext_lazy("获取信息的方式"), choices=DeliveryForm.choices)
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64)


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    orgs = _orgs()
    form = RequestForm(request.POST or None, initial={"client_token": secrets.token_hex(16)})
    form.fields["org"].choices = [(o.code, o.name) for o in orgs]  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d: dict[str, Any] = dict(form.cleaned_data)
            code = d.pop("org")
            org = next(o for o in orgs if o.code == code)
            try:
                created, _new = svc.request_submit(org=org, **d)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect(f"{reverse('portal_disclosure:progress')}?code={created.query_code}&new=1")
    return render(request, "portal/disclosure/request_form.html", {"form": form}, status=status)


@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("code", "")[:40]
    found = selectors.request_by_query_code(raw) if raw else None
    context: dict[str, Any] = {"code": raw, "searched": bool(raw), "req": found, "new": request.GET.get("new") == "1"}
    if found is not None:
        context.update(
            clock=request_clock(found),
            code_display=format_query_code(found.query_code),
            moved=selectors.request_following(found),
            documents=list(found.documents.all()),
        )
    return render(request, "portal/disclosure/progress.html", context, status=404 if raw and found is None else 200)


@require_GET
def document(request: HttpRequest, code: str, pk: int) -> FileResponse:
    found = selectors.request_by_query_code(code)
    doc = found.documents.filter(pk=pk).first() if found is not None else None
    if doc is None or found is None:
        raise Http404(_("文书不存在。"))
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=f"{found.ref}-{doc.get_kind_display()}.docx")
