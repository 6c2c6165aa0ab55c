"""Forms of the hotline staff pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengwu.hotline.models import (
    SUBTYPES,
    CallbackResult,
    Channel,
    ConversionTarget,
    LimitUnit,
    TicketKind,
    Urgency,
)

# Digits first so a keyboard user picks a kind with one key in the focused select.
KIND_CHOICES = [(k.value, f"{i} {k.label}") for i, k in enumerate(TicketKind, start=1)]
SUBTYPE_CHOICES = [("", _("（不细分）"))] + [
    (code, label) for kind in TicketKind for code, label in SUBTYPES[kind].items() if code != "other"
]


class CallForm(forms.Form):
    caller_phone = forms.CharField(label=_("来电号码"), max_length=20, required=False)
    caller_name = forms.CharField(label=_("来电人"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("诉求类型"), choices=KIND_CHOICES, initial=TicketKind.COMPLAINT)
    subtype = forms.ChoiceField(label=_("诉求子类"), choices=SUBTYPE_CHOICES, required=False)
    content = forms.CharField(label=_("诉求内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    location = forms.CharField(label=_("事发地点"), max_length=200, required=False)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    org = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_subtype(self) -> str:
        subtype = self.cleaned_data.get("subtype", "")
        kind = self.data.get("kind", "")
        # A subtype from another kind (the select lists all) is dropped rather than refused: speed over form errors.
        return subtype if subtype in SUBTYPES.get(kind, {}) else ""


class DispatchForm(forms.Form):
    lead = forms.CharField(label=_("主办单位"), max_length=40)
    assisting = forms.CharField(label=_("协办单位"), max_length=400, required=False)
    note = forms.CharField(label=_("派单意见"), max_length=500, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=500)


class TextForm(forms.Form):
    content = forms.CharField(label=_("内容"), max_length=5000)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复内容"), max_length=5000, required=False)
    article = forms.IntegerField(required=False)


class ExtensionForm(forms.Form):
    workdays = forms.IntegerField(label=_("延期工作日"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("延期理由"), max_length=500)


class DecideForm(forms.Form):
    request = forms.IntegerField()
    approve = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
    note = forms.CharField(max_length=500, required=False)


class CallbackForm(forms.Form):
    result = forms.ChoiceField(label=_("回访结果"), choices=CallbackResult.choices)
    note = forms.CharField(label=_("回访记录"), max_length=500, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("意见"), max_length=500, required=False)


class ConvertForm(forms.Form):
    target = forms.ChoiceField(label=pgettext_lazy("ticket conversion", "转入"), choices=ConversionTarget.choices)
    target_org = forms.CharField(label=_("转入机关代码（默认本热线）"), max_length=40, required=False)
    target_ref = forms.CharField(label=_("政务服务投诉登记编号"), max_length=60, required=False)
    applicant_name = forms.CharField(label=_("申请人（默认来电人）"), max_length=100, required=False)
    subject = forms.CharField(label=_("所需信息（默认诉求内容）"), max_length=2000, required=False)
    reason = forms.CharField(label=_("理由"), max_length=500, required=False)


class MonthForm(forms.Form):
    month = forms.RegexField(regex=r"^\d{4}-\d{2}$", label=_("月份"))
    org = forms.IntegerField(required=False)


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    keywords = forms.CharField(label=_("关键词"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("诉求类型"), choices=TicketKind.choices, initial=TicketKind.CONSULTATION)
    answer = forms.CharField(label=_("答复口径"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    is_active = forms.BooleanField(label=_("有效"), required=False, initial=True)


class HandlingRuleForm(forms.Form):
    org = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("诉求类型"), choices=TicketKind.choices)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices)
    limit = forms.IntegerField(label=_("办理时限"), min_value=1, max_value=720, required=False)
    unit = forms.ChoiceField(label=_("时限单位"), choices=LimitUnit.choices, initial=LimitUnit.WORKDAYS, required=False)
    clear = forms.BooleanField(label=_("恢复为上级或默认规则"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        data["unit"] = data.get("unit") or LimitUnit.WORKDAYS
        if not data.get("clear") and data.get("limit") is None and "limit" not in self.errors:
            self.add_error("limit", _("请填写办理时限。"))
        return data


class CardRuleForm(forms.Form):
    org = forms.IntegerField(widget=forms.HiddenInput)
    overdue_per_month = forms.IntegerField(label=_("月超时件数（黄牌）"), min_value=1, max_value=1000)
    yellows_per_quarter = forms.IntegerField(label=_("季度黄牌数（红牌）"), min_value=1, max_value=3)


class ApiClientForm(forms.Form):
    org = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("应用名称"), max_length=100)
    channel = forms.ChoiceField(
        label=_("渠道"),
        choices=[(c.value, c.label) for c in (Channel.APP, Channel.WECHAT, Channel.WEB, Channel.OTHER)],
        initial=Channel.APP,
        required=False,
    )

    def clean_channel(self) -> str:
        return self.cleaned_data.get("channel") or Channel.APP


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("停用理由"), max_length=500, required=False)
