"""Template helpers of the staff workspace: the side navigation, the user's posts, audit values for people."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhengwu.core.models import AuditEvent
from zhengwu.orgs import policies
from zhengwu.orgs.models import Membership, Staff
from zhengwu.orgs.selectors import memberships_of_staff
from zhengwu.staff.nav import nav_entries

register = template.Library()

# url name → the nav section it belongs to
_SECTION = {
    "home": "home",
    "org_tree": "orgs",
    "org_detail": "orgs",
    "people": "people",
    "audit": "audit",
}

ACTION_LABELS = {
    "division.create": _("新建行政区划"),
    "org.create": _("新建机构"),
    "org.update": _("修改机构"),
    "org.rename": _("机构更名"),
    "org.move": _("调整上级机构"),
    "org.close": _("撤销机构"),
    "org.reopen": _("恢复机构"),
    "hall.create": _("新建大厅"),
    "window.create": _("新建窗口"),
    "staff.create": _("新建工作人员"),
    "membership.grant": _("授予岗位"),
    "membership.change": _("变更岗位"),
    "membership.revoke": _("撤销岗位"),
    "staff.login": _("登录"),
    "staff.login_failed": _("登录失败"),
    "staff.locked": _("账号锁定"),
    "staff.logout": _("退出登录"),
    "staff.token_issue": _("签发接口令牌"),
    "staff.token_revoke": _("吊销接口令牌"),
    "audit.verify": _("校验审计链"),
    "admin.delete": _("后台删除"),
}

TASK_STATES = {
    "on_time": ("chip-ok", _("正常")),
    "warning": ("chip-warn", _("预警")),
    "overdue": ("chip-bad", _("超时")),
}


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url: str


@register.inclusion_tag("staff/_nav.html", takes_context=True)
def staff_nav(context: template.Context) -> dict[str, Any]:
    """Only the pages the user may open: each entry is shown when a policy grants it somewhere."""
    request = context["request"]
    user = request.user
    items = [NavItem("home", str(_("我的工作台")), reverse("staff:home"))]
    if policies.can_anywhere(user, "orgs.view"):
        items.append(NavItem("orgs", str(_("机构")), reverse("staff:org_tree")))
    if policies.can_anywhere(user, "staff.view"):
        items.append(NavItem("people", str(_("工作人员")), reverse("staff:people")))
    if policies.can_anywhere(user, "audit.view"):
        items.append(NavItem("audit", str(_("审计记录")), reverse("staff:audit")))
    entries = nav_entries()
    for entry in entries:
        if policies.can_anywhere(user, entry.permission):
            items.append(NavItem(entry.key, str(entry.label), reverse(entry.url_name)))
    system = []
    if user.is_active and user.is_staff:
        system.append(NavItem("admin", str(_("系统配置")), reverse("admin:index")))
    match = getattr(request, "resolver_match", None)
    current = ""
    if match is not None and match.namespace == "staff":
        current = _SECTION.get(match.url_name, "")
    elif match is not None:
        # A domain's pages live in its own namespace (staff_cases …): highlight its entry.
        current = next((e.key for e in entries if e.url_name.split(":")[0] == match.namespace), "")
    return {"items": items, "system": system, "current": current}


@register.simple_tag
def my_memberships(user: Staff) -> list[Membership]:
    return list(memberships_of_staff(user))


@register.filter
def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@register.filter
def task_state_class(state: str) -> str:
    return TASK_STATES.get(state, ("chip-plain", ""))[0]


@register.filter
def task_state_label(state: str) -> str:
    return str(TASK_STATES.get(state, ("", state))[1])


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


@register.filter
def audit_changes(event: AuditEvent) -> list[tuple[str, str | None, str | None]]:
    """Rows of (field, old, new) for display; old or new is None when that side has no value at all."""
    old, new = event.old, event.new
    if isinstance(old, dict) or isinstance(new, dict):
        o = old if isinstance(old, dict) else {}
        n = new if isinstance(new, dict) else {}
        keys = list(dict.fromkeys([*o.keys(), *n.keys()]))
        return [(key, _show(o[key]) if key in o else None, _show(n[key]) if key in n else None) for key in keys]
    if old is None and new is None:
        return []
    return [("", None if old is None else _show(old), None if new is None else _show(new))]


@register.filter
def audit_object(event: AuditEvent, labels: dict[tuple[str, str], str]) -> str:
    """The event's object for people (see `core.selectors.audit_object_labels`), else its type and id."""
    return labels.get((event.object_type, event.object_id)) or f"{event.object_type}#{event.object_id}"
