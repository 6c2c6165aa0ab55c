"""Write use-cases for divisions, orgs, halls, windows, staff and memberships — each audited, each checked."""

from __future__ import annotations

import re

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from zhengwu.core.audit import record_event
from zhengwu.core.errors import InvalidInput, PermissionDenied
from zhengwu.core.transitions import audited_update
from zhengwu.orgs import policies
from zhengwu.orgs.hooks import working_time_changed
from zhengwu.orgs.models import (
    Division,
    DivisionLevel,
    Hall,
    Membership,
    Org,
    OrgKind,
    Role,
    Scope,
    Staff,
    Window,
)
from zhengwu.orgs.models.division import CODE_DIGITS
from zhengwu.orgs.models.org import ORG_CODE_RE

_PARENT_LEVEL = {
    DivisionLevel.CITY: DivisionLevel.PROVINCE,
    DivisionLevel.COUNTY: DivisionLevel.CITY,
    DivisionLevel.TOWNSHIP: DivisionLevel.COUNTY,
    DivisionLevel.VILLAGE: DivisionLevel.TOWNSHIP,
}


def _choice(value: str, choices: type[models.TextChoices], field: str, what: str) -> str:
    if value not in choices.values:
        raise InvalidInput(
            _("未知的%(what)s“%(value)s”，可选：%(choices)s")
            % {"what": what, "value": value, "choices": ", ".join(choices.values)},
            detail={field: ["unknown"]},
        )
    return value


def division_create(
    *, actor: Staff | None, code: str, name: str, level: str, parent_code: str | None = None
) -> Division:
    _choice(level, DivisionLevel, "level", _("区划层级"))
    if not re.fullmatch(r"\d{2,12}", code or ""):
        raise InvalidInput(_("行政区划代码应为2至12位数字：%(code)s") % {"code": code}, detail={"code": ["format"]})
    lvl = DivisionLevel(level)
    parent = None
    if lvl != DivisionLevel.PROVINCE:
        if not parent_code:
            raise InvalidInput(
                _("%(level)s区划必须有上级区划。") % {"level": lvl.label}, detail={"parent": ["required"]}
            )
        parent = Division.objects.filter(code=parent_code).first()
        if parent is None:
            raise InvalidInput(_("上级区划不存在：%(code)s") % {"code": parent_code}, detail={"parent": ["not_found"]})
        if parent.level != _PARENT_LEVEL[lvl]:
            raise InvalidInput(_("上级区划层级不符。"), detail={"parent": ["level"]})
        if not code.startswith(parent.prefix):
            raise InvalidInput(
                _("区划代码 %(code)s 不在上级 %(parent)s 之下。") % {"code": code, "parent": parent.code},
                detail={"code": ["prefix"]},
            )
    if len(code) < CODE_DIGITS[lvl]:
        raise InvalidInput(_("区划代码位数不足。"), detail={"code": ["format"]})
    with transaction.atomic():
        if Division.objects.filter(code=code).exists():
            raise InvalidInput(_("行政区划代码已存在：%(code)s") % {"code": code}, detail={"code": ["duplicate"]})
        division = Division.objects.create(code=code, name=name, level=lvl, parent=parent)
        record_event(
            actor=actor,
            action="division.create",
            obj=division,
            new={"code": code, "name": name, "level": level, "parent": parent_code},
        )
    return division


def org_create(
    *,
    actor: Staff | None,
    code: str,
    name: str,
    kind: str,
    parent: Org | str | None = None,
    division: Division | str | None = None,
    short_name: str = "",
    office_hours: str | None = None,
) -> Org:
    """Add an org under `parent` (an Org or its code). Nothing is written when any input is bad."""
    errors: dict[str, list[str]] = {}
    messages: list[str] = []
    if not re.fullmatch(ORG_CODE_RE, code or ""):
        errors["code"] = ["format"]
        messages.append(_("机构代码格式不正确：“%(code)s”（字母、数字、. _ -，最长40位）") % {"code": code})
    if not (name or "").strip():
        errors["name"] = ["required"]
        messages.append(_("名称不能为空。"))
    if kind not in OrgKind.values:
        errors["kind"] = ["unknown"]
        messages.append(
            _("未知的机构类型“%(kind)s”，可选：%(choices)s") % {"kind": kind, "choices": ", ".join(OrgKind.values)}
        )
    parent_org: Org | None = None
    if isinstance(parent, Org):
        parent_org = parent
    elif parent:
        parent_org = Org.objects.filter(code=parent).first()
        if parent_org is None:
            errors["parent"] = ["not_found"]
            messages.append(_("上级机构不存在：%(code)s") % {"code": parent})
    div: Division | None = None
    if isinstance(division, Division):
        div = division
    elif division:
        div = Division.objects.filter(code=division).first()
        if div is None:
            errors["division"] = ["not_found"]
            messages.append(_("行政区划不存在：%(code)s") % {"code": division})
    if code and Org.objects.filter(code=code).exists():
        errors["code"] = ["duplicate"]
        messages.append(_("机构代码已存在：%(code)s") % {"code": code})
    if errors:
        raise InvalidInput("；".join(messages), detail=errors)
    if parent_org is None:
        # A new root is a platform decision, not a county admin's.
        if actor is not None and not actor.is_superuser:
            raise PermissionDenied(_("只有平台管理员可以创建顶级机构。"), detail={"permission": "orgs.manage"})
    else:
        policies.require(actor, "orgs.manage", parent_org)
    with transaction.atomic():
        org = Org(code=code, name=name.strip(), short_name=short_name, kind=kind, parent=parent_org, division=div)
        if office_hours:
            org.office_hours = office_hours
        try:
            org.full_clean(exclude=["path"])
        except ValidationError as exc:
            raise InvalidInput(
                _("机构信息有误：%(e)s") % {"e": "; ".join(exc.messages)}, detail=exc.message_dict
            ) from exc
        org.path = "/"
        try:
            with transaction.atomic():
                org.save()
        except IntegrityError as exc:
            raise InvalidInput(_("机构代码已存在：%(code)s") % {"code": code}, detail={"code": ["duplicate"]}) from exc
        org.path = f"{parent_org.path if parent_org else '/'}{org.pk}/"
        org.depth = (parent_org.depth + 1) if parent_org else 0
        org.save(update_fields=["path", "depth"])
        record_event(
            actor=actor,
            action="org.create",
            obj=org,
            new={
                "code": code,
                "name": org.name,
                "kind": kind,
                "parent": parent_org.code if parent_org else None,
                "division": div.code if div else None,
            },
        )
    return org


def org_move(*, actor: Staff | None, org: Org, new_parent: Org, reason: str = "") -> Org:
    """Re-hang an org and its whole subtree under another parent, with one UPDATE for the descendants."""
    policies.require(actor, "orgs.manage", org)
    policies.require(actor, "orgs.manage", new_parent)
    if new_parent.path.startswith(org.path):
        raise InvalidInput(_("不能把机构移到它自己或它的下级之下。"), detail={"parent": ["cycle"]})
    with transaction.atomic():
        locked = Org.objects.select_for_update().get(pk=org.pk)
        old_path, old_parent = locked.path, locked.parent.code if locked.parent else None
        new_path = f"{new_parent.path}{locked.pk}/"
        depth_shift = new_parent.depth + 1 - locked.depth
        Org.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1, Length("path"))),
            depth=F("depth") + depth_shift,
        )
        Org.objects.filter(pk=locked.pk).update(parent=new_parent)
        record_event(
            actor=actor,
            action="org.move",
            obj=locked,
            old={"parent": old_parent, "path": old_path},
            new={"parent": new_parent.code, "path": new_path},
            reason=reason,
        )
    org.refresh_from_db()
    return org


def org_update(*, actor: Staff | None, org: Org, changes: dict[str, object], reason: str = "") -> Org:
    allowed = {"name", "short_name", "office_hours", "address", "phone", "is_active", "uscc"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(
            _("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))}, detail={f: ["readonly"] for f in unknown}
        )
    policies.require(actor, "orgs.manage", org)
    with transaction.atomic():
        hours = Org.objects.filter(pk=org.pk).values_list("office_hours", flat=True).first()
        try:
            updated = audited_update(org, actor=actor, action="org.update", changes=changes, reason=reason)
        except ValidationError as exc:
            raise InvalidInput("; ".join(exc.messages), detail=exc.message_dict) from exc
        if updated.office_hours != hours:  # stored working time counted by the old hours is recomputed
            working_time_changed(org=updated, actor=actor)
    return updated


def hall_create(*, actor: Staff | None, org: Org, name: str, address: str = "") -> Hall:
    policies.require(actor, "orgs.manage", org)
    if org.kind not in {OrgKind.SERVICE_CENTER, OrgKind.CONVENIENCE_CENTER, OrgKind.SERVICE_STATION}:
        raise InvalidInput(_("只有政务服务中心、便民服务中心或服务站可以设大厅。"), detail={"org": ["kind"]})
    with transaction.atomic():
        hall = Hall.objects.create(org=org, name=name, address=address)
        record_event(actor=actor, action="hall.create", obj=hall, org=org, new={"name": name})
    return hall


def window_create(
    *, actor: Staff | None, hall: Hall, number: str, name: str, departments: list[Org] | None = None
) -> Window:
    policies.require(actor, "orgs.manage", hall.org)
    with transaction.atomic():
        if Window.objects.filter(hall=hall, number=number).exists():
            raise InvalidInput(_("窗口号已存在：%(n)s") % {"n": number}, detail={"number": ["duplicate"]})
        window = Window.objects.create(hall=hall, number=number, name=name)
        if departments:
            window.departments.set(departments)
        record_event(
            actor=actor,
            action="window.create",
            obj=window,
            org=hall.org,
            new={"number": number, "name": name, "departments": [d.code for d in departments or []]},
        )
    return window


def staff_create(
    *,
    actor: Staff | None,
    org: Org,
    username: str,
    full_name: str,
    password: str,
    role: str,
    scope: str = Scope.SUBTREE,
    phone: str = "",
    check_password: bool = True,
) -> Staff:
    """Create a staff account with its first membership at `org`."""
    policies.require(actor, "staff.manage", org)
    _choice(role, Role, "role", _("角色"))
    _choice(scope, Scope, "scope", _("范围"))
    if not re.fullmatch(r"[A-Za-z0-9_.@+-]{3,150}", username or ""):
        raise InvalidInput(_("用户名只能包含字母、数字和 @.+-_，3至150位。"), detail={"username": ["format"]})
    if check_password:
        try:
            validate_password(password)
        except ValidationError as exc:
            raise InvalidInput("; ".join(exc.messages), detail={"password": exc.messages}) from exc
    with transaction.atomic():
        if Staff.objects.filter(username=username).exists():
            raise InvalidInput(_("用户名已存在：%(u)s") % {"u": username}, detail={"username": ["duplicate"]})
        staff = Staff(username=username, full_name=full_name, phone=phone)
        staff.set_password(password)
        staff.save()
        Membership.objects.create(staff=staff, org=org, role=role, scope=scope)
        record_event(
            actor=actor,
            action="staff.create",
            object_type="orgs.staff",
            object_id=staff.pk,
            org=org,
            new={"username": username, "full_name": full_name, "role": role, "scope": scope},
        )
    return staff


def membership_grant(
    *, actor: Staff | None, staff: Staff, org: Org, role: str, scope: str = Scope.SUBTREE
) -> Membership:
    policies.require(actor, "staff.manage", org)
    _choice(role, Role, "role", _("角色"))
    _choice(scope, Scope, "scope", _("范围"))
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            staff=staff, org=org, role=role, defaults={"scope": scope}
        )
        if not created and membership.scope != scope:
            old = membership.scope
            membership.scope = scope
            membership.save(update_fields=["scope", "updated_at"])
            record_event(
                actor=actor,
                action="membership.change",
                obj=membership,
                org=org,
                old={"scope": old},
                new={"scope": scope},
            )
        elif created:
            record_event(
                actor=actor,
                action="membership.grant",
                obj=membership,
                org=org,
                new={"staff": staff.username, "role": role, "scope": scope},
            )
    return membership


def membership_revoke(*, actor: Staff | None, membership: Membership, reason: str = "") -> None:
    policies.require(actor, "staff.manage", membership.org)
    with transaction.atomic():
        record_event(
            actor=actor,
            action="membership.revoke",
            obj=membership,
            org=membership.org,
            old={"staff": membership.staff.username, "role": membership.role, "scope": membership.scope},
            reason=reason,
        )
        membership.delete()
