"""The staff workspace: sign in and out, the home page of the user's tasks, and the pages of the org tree,
staff and audit trail. Views parse the request, call selectors and services, and render; policies decide."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhengwu.core import clock
from zhengwu.core import selectors as audit_selectors
from zhengwu.core.errors import ApplicationError
from zhengwu.orgs import policies, selectors
from zhengwu.orgs.models import Org, OrgKind, Staff
from zhengwu.staff import services
from zhengwu.staff.tasks import tasks_for
from zhengwu.workdays.selectors import next_year_notice_missing

CHILDREN_PAGE_SIZE = 50
PEOPLE_PAGE_SIZE = 50
ROOTS_SHOWN = 100


def _actor(request: HttpRequest) -> Staff:
    return cast(Staff, request.user)


def _page(request: HttpRequest, items: QuerySet[Any], size: int) -> Page[Any]:
    return Paginator(items, size).get_page(request.GET.get("page"))


def _int_or_none(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


# --- Sign in and out ----------------------------------------------------------------------------------


class LoginForm(AuthenticationForm):
    """Django's login form with the checks done by `services.staff_login` (lockout, audit)."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password and self.request is not None:
            try:
                self.user_cache = services.staff_login(request=self.request, username=username, password=password)
            except ApplicationError as exc:
                raise ValidationError(exc.message, code=exc.code) from exc
        return self.cleaned_data

    @property
    def is_locked(self) -> bool:
        return self.has_error(NON_FIELD_ERRORS, services.LoginLocked.code)


class LoginView(auth_views.LoginView):
    template_name = "staff/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "login_failure_limit": settings.LOGIN_FAILURE_LIMIT}


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.staff_logout_recorded(request=request, staff=_actor(request))
    auth.logout(request)
    messages.success(request, _("您已安全退出。"))
    return redirect("staff:login")


# --- Home ---------------------------------------------------------------------------------------------


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "staff/home.html",
        {
            "memberships": selectors.memberships_of_staff(actor),
            "tasks": tasks_for(actor),
            # Those who can load the calendar are told from November on that next year's notice is missing.
            "notice_year": (
                next_year_notice_missing(clock.today()) if policies.can_anywhere(actor, "workdays.manage") else None
            ),
        },
    )


# --- The org tree -------------------------------------------------------------------------------------


@require_GET
@login_required
def org_tree(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    query = request.GET.get("q", "").strip()[:100]
    context: dict[str, Any] = {"query": query, "total": selectors.org_subtree_count_for_actor(actor)}
    if query:
        context["results"] = selectors.org_search_for_actor(actor, query)
    else:
        roots = list(selectors.org_roots_for_actor(actor)[: ROOTS_SHOWN + 1])
        context["roots_truncated"] = len(roots) > ROOTS_SHOWN
        roots = roots[:ROOTS_SHOWN]
        # The first level under each root comes with the page; deeper levels load when opened.
        context["roots"] = [
            (root, list(selectors.org_children_for_actor(actor, root)[: CHILDREN_PAGE_SIZE + 1])) for root in roots
        ]
        context["children_page_size"] = CHILDREN_PAGE_SIZE
    return render(request, "staff/org_tree.html", context)


def _visible_org(actor: Staff, code: str) -> Org:
    org = selectors.org_get_for_actor(actor, code)
    if org is None:
        # Not 403: whether an org outside the user's scope exists is itself not theirs to know.
        raise Http404(_("机构不存在。"))
    return org


@require_GET
@login_required
def org_children(request: HttpRequest, code: str) -> HttpResponse:
    """A page of an org's children as tree items, for htmx; a plain request goes to the org's page."""
    actor = _actor(request)
    org = _visible_org(actor, code)
    if request.headers.get("HX-Request") != "true":
        return redirect("staff:org_detail", code=org.code)
    page = _page(request, selectors.org_children_for_actor(actor, org), CHILDREN_PAGE_SIZE)
    return render(request, "staff/_org_children.html", {"org": org, "page": page})


@require_GET
@login_required
def org_detail(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    org = _visible_org(actor, code)
    children = _page(request, selectors.org_children_for_actor(actor, org), CHILDREN_PAGE_SIZE)
    can_view_staff = policies.can(actor, "staff.view", org)
    context = {
        "org": org,
        "ancestors": selectors.org_ancestors_for_actor(actor, org),
        "children": children,
        "halls": selectors.halls_of_org(org),
        "windows": selectors.windows_of_department(org) if org.kind == OrgKind.DEPARTMENT else [],
        "can_view_staff": can_view_staff,
        "memberships": selectors.memberships_of_org(actor, org) if can_view_staff else [],
        "can_view_audit": policies.can(actor, "audit.view", org),
    }
    return render(request, "staff/org_detail.html", context)


# --- Staff and audit ----------------------------------------------------------------------------------


@require_GET
@login_required
def people(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not policies.can_anywhere(actor, "staff.view"):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:100]
    page = _page(request, selectors.staff_directory_for_actor(actor, query=query), PEOPLE_PAGE_SIZE)
    return render(request, "staff/people.html", {"page": page, "query": query})


@require_GET
@login_required
def audit(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not policies.can_anywhere(actor, "audit.view"):
        raise PermissionDenied
    filters = audit_selectors.AuditFilter(
        object_type=request.GET.get("object_type", "")[:100],
        object_id=request.GET.get("object_id", "")[:64],
        action=request.GET.get("action", "")[:64],
        actor=request.GET.get("actor", "")[:150],
    )
    page = audit_selectors.audit_page_for_actor(
        actor,
        filters,
        before=_int_or_none(request.GET.get("before")),
        after=_int_or_none(request.GET.get("after")),
    )
    params = request.GET.copy()
    for key in ("before", "after"):
        params.pop(key, None)
    return render(
        request,
        "staff/audit.html",
        {
            "page": page,
            "labels": audit_selectors.audit_object_labels(page.events),
            "filters": filters,
            "filter_query": params.urlencode(),
            "filtered": any(vars(filters).values()),
        },
    )
