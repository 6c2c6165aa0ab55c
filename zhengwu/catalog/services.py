"""Write use-cases of the catalog: create an item, revise it (a new version), deactivate it."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.catalog.models import Category, Material, Mode, ServiceItem, ServiceItemVersion
from zhengwu.catalog.models.item import ITEM_CODE_RE
from zhengwu.core.audit import record_event
from zhengwu.core.errors import Conflict, InvalidInput
from zhengwu.orgs import policies

if TYPE_CHECKING:
    from zhengwu.orgs.models import Org, Staff, Window


@dataclass(frozen=True)
class MaterialSpec:
    name: str
    originals: int = 0
    copies: int = 0
    required: bool = True
    blank_form: str = ""
    note: str = ""


@dataclass(frozen=True)
class ItemContent:
    """Everything a version says; `item_revise` takes a changed copy (`dataclasses.replace`)."""

    name: str
    category: str
    statutory_limit_days: int = 0
    promised_limit_days: int = 0
    mode: str = Mode.PROMISED
    online: bool = False
    fully_online: bool = False
    online_depth: int = 1
    max_visits: int = 1
    fee_yuan: Decimal = Decimal("0")
    fee_basis: str = ""
    keywords: str = ""
    legal_basis: str = ""
    conditions: str = ""
    steps: str = ""
    place: str = ""
    window: Window | None = None
    phone: str = ""
    materials: tuple[MaterialSpec, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, version: ServiceItemVersion) -> ItemContent:
        values: dict[str, Any] = {
            f.name: getattr(version, f.name) for f in dataclasses.fields(cls) if f.name != "materials"
        }
        values["materials"] = tuple(
            MaterialSpec(m.name, m.originals, m.copies, m.required, m.blank_form, m.note)
            for m in version.materials.all()
        )
        return cls(**values)

    def version_fields(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "materials"}


def _comparable(content: ItemContent) -> dict[str, Any]:
    values = content.version_fields()
    values["window"] = content.window.pk if content.window is not None else None
    values["fee_yuan"] = Decimal(content.fee_yuan).quantize(Decimal("0.01"))
    values["materials"] = [dataclasses.astuple(m) for m in content.materials]
    return values


def _make_version(
    *, item: ServiceItem, number: int, content: ItemContent, actor: Staff | None, change_note: str
) -> ServiceItemVersion:
    if content.category not in Category.values:
        raise InvalidInput(
            _("未知的事项类型“%(v)s”，可选：%(c)s") % {"v": content.category, "c": ", ".join(Category.values)},
            detail={"category": ["unknown"]},
        )
    version = ServiceItemVersion(
        item=item,
        number=number,
        change_note=change_note,
        created_by=actor,
        **content.version_fields(),
    )
    try:
        version.full_clean(exclude=["item"])
    except ValidationError as exc:
        raise InvalidInput(_("事项内容有误：%(e)s") % {"e": "; ".join(exc.messages)}, detail=exc.message_dict) from exc
    version.save()
    Material.objects.bulk_create(
        Material(
            version=version,
            position=i,
            name=m.name,
            originals=m.originals,
            copies=m.copies,
            required=m.required,
            blank_form=m.blank_form,
            note=m.note,
        )
        for i, m in enumerate(content.materials, start=1)
    )
    return version


def item_create(*, actor: Staff | None, org: Org, code: str, content: ItemContent) -> ServiceItem:
    """A new item with its first version, handled by `org`."""
    policies.require(actor, "catalog.manage", org)
    if not re.fullmatch(ITEM_CODE_RE, code or ""):
        raise InvalidInput(_("事项编码格式不正确：%(c)s") % {"c": code}, detail={"code": ["format"]})
    with transaction.atomic():
        if ServiceItem.objects.filter(code=code).exists():
            raise InvalidInput(_("事项编码已存在：%(c)s") % {"c": code}, detail={"code": ["duplicate"]})
        item = ServiceItem.objects.create(org=org, code=code)
        version = _make_version(item=item, number=1, content=content, actor=actor, change_note="")
        item.current = version
        item.save(update_fields=["current", "updated_at"])
        record_event(
            actor=actor, action="item.create", obj=item, new={"code": code, "version": 1, **_comparable(content)}
        )
    return item


def item_revise(
    *,
    actor: Staff | None,
    item: ServiceItem,
    content: ItemContent,
    change_note: str = "",
    expected_version: int | None = None,
) -> ServiceItemVersion:
    """A new version with `content`; cases accepted earlier keep theirs. Unchanged content makes no version.
    `expected_version` is the version number the editor started from: if someone has made a newer one since,
    nothing is written and Conflict says so (the later edit never silently undoes the earlier one)."""
    policies.require(actor, "catalog.manage", item)
    with transaction.atomic():
        locked = ServiceItem.objects.select_for_update().get(pk=item.pk)
        current = locked.current
        assert current is not None
        if expected_version is not None and current.number != expected_version:
            raise Conflict(
                _("此事项已被他人改为第 %(n)s 版（您编辑的是第 %(m)s 版）；请重新打开后再修改。")
                % {"n": current.number, "m": expected_version},
                detail={"version": ["stale"]},
            )
        before = _comparable(ItemContent.of(current))
        after = _comparable(content)
        changed = {k: v for k, v in after.items() if before[k] != v}
        if not changed:
            return current
        version = _make_version(
            item=locked, number=current.number + 1, content=content, actor=actor, change_note=change_note
        )
        locked.current = version
        locked.save(update_fields=["current", "updated_at"])
        record_event(
            actor=actor,
            action="item.revise",
            obj=locked,
            old={"version": current.number, **{k: before[k] for k in changed}},
            new={"version": version.number, **changed},
            reason=change_note,
        )
    item.current = version
    return version


def item_set_active(*, actor: Staff | None, item: ServiceItem, active: bool, reason: str = "") -> ServiceItem:
    """Withdraw an item from the catalog (or restore it); open cases of it go on under their versions."""
    from zhengwu.core.transitions import audited_update

    policies.require(actor, "catalog.manage", item)
    return audited_update(
        item,
        actor=actor,
        action="item.activate" if active else "item.deactivate",
        changes={"is_active": active},
        reason=reason,
    )


def materials_from_lines(lines: Sequence[str]) -> tuple[MaterialSpec, ...]:
    """`名称|原件|复印件` per line (counts optional) — the form and the demo write materials this way."""
    out = []
    for line in lines:
        parts = [p.strip() for p in line.split("|")]
        if not parts[0]:
            continue
        nums = [int(p) if p.isdigit() else 0 for p in parts[1:3]] + [0, 0]
        out.append(MaterialSpec(parts[0], originals=nums[0], copies=nums[1]))
    return tuple(out)
