"""The holiday table in the Django admin: load a notice file, edit days, local days off — every change audited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from zhengwu.core import clock
from zhengwu.core.audit import record_event
from zhengwu.core.errors import ApplicationError
from zhengwu.orgs.models import Staff
from zhengwu.workdays.models import CalendarDay, CalendarSource, CalendarYear, LocalDayOff
from zhengwu.workdays.notice import parse_notice
from zhengwu.workdays.selectors import next_year_notice_missing
from zhengwu.workdays.services import calendar_changed, calendar_load


def _staff(request: HttpRequest) -> Staff | None:
    return request.user if isinstance(request.user, Staff) else None


class CalendarChangeAdmin(admin.ModelAdmin):
    """A save or delete here is audited and makes every process rebuild its workday index."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            calendar_changed()
            record_event(
                actor=_staff(request),
                action=f"workdays.admin_{'change' if change else 'add'}",
                obj=obj,
                new={f: str(form.cleaned_data.get(f)) for f in form.changed_data},
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            if formset.has_changed():
                calendar_changed()
                record_event(
                    actor=_staff(request),
                    action="workdays.admin_days_change",
                    obj=form.instance,
                    new=[str(o) for o in formset.new_objects + [c[0] for c in formset.changed_objects]],
                    old=[str(o) for o in formset.deleted_objects],
                )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            record_event(actor=_staff(request), action="workdays.admin_delete", obj=obj, old=str(obj))
            super().delete_model(request, obj)
            calendar_changed()

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0
    fields = ["date", "kind", "name"]


class NoticeUploadForm(forms.Form):
    file = forms.FileField(label=_("通知文件（YAML）"), help_text=_("格式见 docs/workdays.md"))


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarChangeAdmin):
    list_display = ["year", "notice", "document_no", "published_on", "source", "updated_at"]
    inlines = [CalendarDayInline]
    change_list_template = "admin/workdays/calendaryear/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        return [
            path("load/", self.admin_site.admin_view(self.load_view), name="workdays_calendaryear_load"),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        missing = next_year_notice_missing(clock.today())
        if missing is not None:
            messages.warning(
                request,
                _("%(year)s 年的节假日安排通知尚未载入：该年的期限暂按法定节日推算（暂定），请在通知发布当日载入。")
                % {"year": missing},
            )
        return super().changelist_view(request, extra_context)

    def load_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise DjangoPermissionDenied
        form = NoticeUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                notice = parse_notice(upload.read().decode("utf-8"), source=upload.name)
                year = calendar_load(actor=_staff(request), notice=notice, source=CalendarSource.NOTICE_FILE)
            except UnicodeDecodeError:
                form.add_error("file", _("文件应为 UTF-8 编码。"))
            except ApplicationError as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(request, _("已载入 %(year)s 年节假日安排。") % {"year": year.year})
                return HttpResponseRedirect(reverse("admin:workdays_calendaryear_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("载入节假日安排通知"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/workdays/calendaryear/load.html", context)


@admin.register(LocalDayOff)
class LocalDayOffAdmin(CalendarChangeAdmin):
    list_display = ["date", "name", "division_code"]
    list_filter = ["division_code"]
    search_fields = ["name", "division_code"]
    date_hierarchy = "date"
