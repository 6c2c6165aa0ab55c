"""The staff form for a catalog item (事项): it parses and checks every field, naming the wrong one and why; the
catalog services decide and write."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengwu.catalog.models import Category, Mode
from zhengwu.catalog.models.item import ITEM_CODE_RE, OnlineDepth
from zhengwu.catalog.services import ItemContent, MaterialSpec
from zhengwu.orgs.models import Org, Window

MATERIAL_HELP = gettext_lazy(
    "每行一项：名称|原件份数|复印件份数|是否必需（是/否）|说明，后四项可省略，例如：营业执照|1|1|是"
)


def materials_text(materials: tuple[MaterialSpec, ...]) -> str:
    """The materials as the form's lines (what `parse_materials` reads back)."""
    lines = []
    for m in materials:
        cells = [m.name, str(m.originals), str(m.copies), _("是") if m.required else _("否")]
        if m.note:
            cells.append(m.note)
        lines.append("|".join(cells))
    return "\n".join(lines)


def parse_materials(text: str, *, blank_forms: dict[str, str] | None = None) -> tuple[MaterialSpec, ...]:
    """Materials from the form's lines; forms.ValidationError names every bad line and why."""
    errors: list[str] = []
    out: list[MaterialSpec] = []
    seen: set[str] = set()
    yes, no = {"是", "1", "必需", "yes", "y"}, {"否", "0", "非必需", "选填", "no", "n"}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split("|")]
        name = cells[0]
        if not name:
            errors.append(_("第 %(n)s 行：缺少材料名称") % {"n": number})
            continue
        if len(name) > 200:
            errors.append(_("第 %(n)s 行：材料名称超过 200 个字符") % {"n": number})
            continue
        if name in seen:
            errors.append(_("第 %(n)s 行：材料“%(m)s”重复") % {"n": number, "m": name})
            continue
        seen.add(name)
        counts = []
        for index, label in ((1, _("原件份数")), (2, _("复印件份数"))):
            raw = cells[index] if len(cells) > index and cells[index] else "0"
            if not re.fullmatch(r"\d{1,2}", raw):
                errors.append(
                    _("第 %(n)s 行：%(what)s应为 0 到 99 的整数：%(v)s") % {"n": number, "what": label, "v": raw}
                )
                raw = "0"
            counts.append(int(raw))
        required = True
        if len(cells) > 3 and cells[3]:
            if cells[3].lower() in yes:
                required = True
            elif cells[3].lower() in no:
                required = False
            else:
                errors.append(_("第 %(n)s 行：是否必需应填“是”或“否”：%(v)s") % {"n": number, "v": cells[3]})
        note = "|".join(cells[4:]).strip()
        if len(note) > 300:
            errors.append(_("第 %(n)s 行：说明超过 300 个字符") % {"n": number})
        out.append(
            MaterialSpec(
                name,
                originals=counts[0],
                copies=counts[1],
                required=required,
                blank_form=(blank_forms or {}).get(name, ""),
                note=note[:300],
            )
        )
    if errors:
        raise forms.ValidationError(errors)
    return tuple(out)


class ItemForm(forms.Form):
    """Every field of an item's version; `code` and `org` only when creating (an item keeps both)."""

    code = forms.CharField(
        label=gettext_lazy("事项编码"),
        max_length=60,
        help_text=gettext_lazy("字母、数字、点、横线或下划线，创建后不能修改"),
    )
    org = forms.ModelChoiceField(label=gettext_lazy("实施部门"), queryset=Org.objects.none())
    name = forms.CharField(label=gettext_lazy("事项名称"), max_length=200)
    category = forms.ChoiceField(label=gettext_lazy("事项类型"), choices=Category.choices)
    keywords = forms.CharField(label=gettext_lazy("关键词"), max_length=300, required=False)
    legal_basis = forms.CharField(
        label=gettext_lazy("设定依据"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    conditions = forms.CharField(
        label=gettext_lazy("申请条件"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    mode = forms.ChoiceField(label=gettext_lazy("办件类型"), choices=Mode.choices, initial=Mode.PROMISED)
    statutory_limit_days = forms.IntegerField(
        label=gettext_lazy("法定时限（工作日）"),
        min_value=0,
        max_value=365,
        initial=0,
        help_text=gettext_lazy("0 表示法律未规定时限"),
    )
    promised_limit_days = forms.IntegerField(
        label=gettext_lazy("承诺时限（工作日）"),
        min_value=0,
        max_value=365,
        initial=0,
        help_text=gettext_lazy("即办件填 0；承诺件至少 1 个工作日，且不超过法定时限"),
    )
    online = forms.BooleanField(label=gettext_lazy("可网上申请"), required=False)
    fully_online = forms.BooleanField(label=gettext_lazy("全程网办"), required=False)
    online_depth = forms.TypedChoiceField(
        label=gettext_lazy("网上办理深度"), choices=OnlineDepth.choices, coerce=int, initial=OnlineDepth.INFO
    )
    max_visits = forms.IntegerField(label=gettext_lazy("最多跑动次数"), min_value=0, max_value=10, initial=1)
    fee_yuan = forms.DecimalField(
        label=gettext_lazy("收费标准（元）"), min_value=Decimal("0"), max_digits=12, decimal_places=2, initial=0
    )
    fee_basis = forms.CharField(label=gettext_lazy("收费依据"), max_length=300, required=False)
    materials = forms.CharField(
        label=gettext_lazy("申请材料"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=MATERIAL_HELP,
    )
    steps = forms.CharField(
        label=gettext_lazy("办理流程"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("每行一个环节"),
    )
    window = forms.ModelChoiceField(label=gettext_lazy("受理窗口"), queryset=Window.objects.none(), required=False)
    place = forms.CharField(label=gettext_lazy("办理地点"), max_length=300, required=False)
    phone = forms.CharField(label=gettext_lazy("咨询电话"), max_length=40, required=False)
    change_note = forms.CharField(
        label=gettext_lazy("变更说明"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("保存修改会生成新版本；已受理的办件仍按受理时的版本办理"),
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        orgs: Any,
        windows: Any,
        creating: bool,
        blank_forms: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.creating = creating
        self.blank_forms = blank_forms or {}
        window = cast(forms.ModelChoiceField, self.fields["window"])
        window.queryset = windows
        window.label_from_instance = lambda w: f"{w.hall.org.name} · {w.hall.name} · {w.number} {w.name}"  # type: ignore[method-assign,assignment]
        if creating:
            cast(forms.ModelChoiceField, self.fields["org"]).queryset = orgs
            del self.fields["change_note"]
            del self.fields["base_version"]
        else:
            del self.fields["code"]
            del self.fields["org"]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not re.fullmatch(ITEM_CODE_RE, code):
            raise forms.ValidationError(_("只能用字母、数字、点、横线或下划线，以字母或数字开头，最多 60 个字符"))
        return code

    def clean_materials(self) -> tuple[MaterialSpec, ...]:
        return parse_materials(self.cleaned_data.get("materials", ""), blank_forms=self.blank_forms)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mode, promised, statutory = data.get("mode"), data.get("promised_limit_days"), data.get("statutory_limit_days")
        if mode == Mode.INSTANT and promised:
            self.add_error("promised_limit_days", _("即办件当场办结，承诺时限应为 0"))
        elif mode == Mode.PROMISED and promised == 0:
            self.add_error("promised_limit_days", _("承诺件的承诺时限至少 1 个工作日"))
        elif promised is not None and statutory and promised > statutory:
            self.add_error(
                "promised_limit_days",
                _("承诺时限（%(p)s）不能超过法定时限（%(s)s）") % {"p": promised, "s": statutory},
            )
        if data.get("fully_online") and not data.get("online"):
            self.add_error("fully_online", _("全程网办的事项必须可网上申请"))
        return data

    def content(self) -> ItemContent:
        d = self.cleaned_data
        return ItemContent(
            name=d["name"].strip(),
            category=d["category"],
            statutory_limit_days=d["statutory_limit_days"],
            promised_limit_days=d["promised_limit_days"],
            mode=d["mode"],
            online=d["online"],
            fully_online=d["fully_online"],
            online_depth=d["online_depth"],
            max_visits=d["max_visits"],
            fee_yuan=d["fee_yuan"],
            fee_basis=d["fee_basis"],
            keywords=d["keywords"],
            legal_basis=d["legal_basis"],
            conditions=d["conditions"],
            steps="\n".join(s.strip() for s in d["steps"].splitlines() if s.strip()),
            place=d["place"],
            window=d["window"],
            phone=d["phone"],
            materials=d["materials"],
        )


def initial_of(content: ItemContent, *, base_version: int) -> dict[str, Any]:
    """The form's initial values for editing `content` (the current version)."""
    values: dict[str, Any] = content.version_fields()
    values["materials"] = materials_text(content.materials)
    values["base_version"] = base_version
    return values
