"""Staff pages to create and edit catalog items (事项管理). Views parse the form, call the catalog services (which
check the permission and write the audit trail) and render; a service's complaint lands on the field it names."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zhengwu.catalog.models import ServiceItem
from zhengwu.catalog.selectors import items_for_staff, windows_for_catalog
from zhengwu.catalog.services import ItemContent, item_create, item_revise
from zhengwu.core.errors import ApplicationError, InvalidInput
from zhengwu.orgs import policies
from zhengwu.orgs.models import Staff
from zhengwu.orgs.selectors import org_list_for_actor
from zhengwu.staff.catalog.forms import ItemForm, initial_of

PAGE_SIZE = 50
MANAGE = "catalog.manage"


def _actor(request: HttpRequest) -> Staff:
    return cast(Staff, request.user)


def _require_manager(actor: Staff) -> None:
    if not policies.can_anywhere(actor, MANAGE):
        raise PermissionDenied(_("您没有管理事项目录的权限。"))


def _apply_service_error(form: ItemForm, exc: ApplicationError) -> None:
    """Put the service's complaint on the fields it names (its `detail`), else above the form."""
    detail = exc.detail if isinstance(exc, InvalidInput) and isinstance(exc.detail, dict) else {}
    placed = False
    for name in detail:
        if name in form.fields:
            form.add_error(name, exc.message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


@require_GET
@login_required
def item_manage_list(request: HttpRequest) -> HttpResponse:
    """The items of the orgs whose catalog the user manages, searchable by name, code or keyword."""
    actor = _actor(request)
    _require_manager(actor)
    query = request.GET.get("q", "").strip()[:50]
    qs = items_for_staff(actor, permission=MANAGE)
    if query:
        qs = qs.filter(
            Q(current__name__icontains=query) | Q(code__icontains=query) | Q(current__keywords__icontains=query)
        )
    page = Paginator(qs.order_by("org__path", "code"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "staff/catalog/item_manage_list.html", {"page": page, "query": query})


@require_http_methods(["GET", "POST"])
@login_required
def item_new(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    _require_manager(actor)
    form = ItemForm(
        request.POST or None,
        orgs=org_list_for_actor(actor, permission=MANAGE).order_by("path"),
        windows=windows_for_catalog(actor),
        creating=True,
        label_suffix="",
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = item_create(
                actor=actor, org=form.cleaned_data["org"], code=form.cleaned_data["code"], content=form.content()
            )
        except ApplicationError as exc:
            _apply_service_error(form, exc)
        else:
            messages.success(request, _("已创建事项 %(code)s（第 1 版）。") % {"code": item.code})
            return redirect("staff_cases:item_detail", code=item.code)
    return _render_form(request, form, item=None)


@require_http_methods(["GET", "POST"])
@login_required
def item_edit(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    item = (
        items_for_staff(actor, permission=MANAGE)
        .filter(code=code)
        .select_related("current__window")
        .prefetch_related("current__materials")
        .first()
    )
    if item is None:
        raise Http404(_("事项不存在。"))
    assert item.current is not None
    current = ItemContent.of(item.current)
    form = ItemForm(
        request.POST or None,
        initial=initial_of(current, base_version=item.current.number),
        orgs=None,
        windows=windows_for_catalog(actor) | _same_window(item),
        creating=False,
        blank_forms={m.name: m.blank_form for m in current.materials},
        label_suffix="",
    )
    if request.method == "POST" and form.is_valid():
        number = item.current.number
        try:
            version = item_revise(
                actor=actor,
                item=item,
                content=form.content(),
                change_note=form.cleaned_data["change_note"],
                expected_version=form.cleaned_data.get("base_version") or number,
            )
        except ApplicationError as exc:
            _apply_service_error(form, exc)
        else:
            if version.number == number:
                messages.info(request, _("内容没有变化，未生成新版本。"))
            else:
                messages.success(
                    request,
                    _("已保存为第 %(n)s 版；此前受理的办件仍按原版本办理。") % {"n": version.number},
                )
            return redirect("staff_cases:item_detail", code=item.code)
    return _render_form(request, form, item=item)


def _same_window(item: ServiceItem) -> Any:
    """The item's current window stays choosable even when it is outside the editor's halls."""
    from zhengwu.orgs.models import Window

    assert item.current is not None
    return Window.objects.filter(pk__in=[item.current.window_id]).select_related("hall__org")


def _render_form(request: HttpRequest, form: ItemForm, *, item: ServiceItem | None) -> HttpResponse:
    return render(
        request,
        "staff/catalog/item_form.html",
        {"form": form, "item": item},
        status=400 if form.is_bound and form.errors else 200,
    )
