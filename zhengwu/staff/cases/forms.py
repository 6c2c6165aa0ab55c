"""Forms of the staff case pages: they parse and validate input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengwu.cases.states import ApplicantKind, Channel, Decision, ProcedureKind


class IntakeForm(forms.Form):
    applicant_kind = forms.ChoiceField(
        label=_("申请人类型"), choices=ApplicantKind.choices, initial=ApplicantKind.PERSON
    )
    applicant_name = forms.CharField(label=_("申请人"), max_length=200)
    applicant_id_number = forms.CharField(label=_("证件号码"), max_length=18, required=False)
    applicant_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    channel = forms.ChoiceField(
        label=_("收件方式"),
        choices=[(c.value, c.label) for c in (Channel.WINDOW, Channel.AGENT, Channel.MAIL, Channel.SELF_SERVICE)],
        initial=Channel.WINDOW,
    )
    summary = forms.CharField(label=_("申请事由"), max_length=500, required=False)
    opinion = forms.CharField(label=_("意见"), max_length=1000, required=False)
    # One per form shown: a resubmitted or double-clicked intake finds the case the first submission made.
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("不予受理理由"), max_length=1000)


class CorrectionForm(forms.Form):
    missing = forms.CharField(label=_("需补正的材料（每行一项）"), widget=forms.Textarea, max_length=4000)
    note = forms.CharField(label=_("说明"), max_length=1000, required=False)


class PauseForm(forms.Form):
    kind = forms.ChoiceField(label=_("特别程序"), choices=ProcedureKind.choices)
    reason = forms.CharField(label=_("事由"), max_length=300)


class ExtendForm(forms.Form):
    workdays = forms.IntegerField(label=_("延长工作日"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("理由"), max_length=300)


class ForwardForm(forms.Form):
    to_org = forms.CharField(label=_("下一环节办理机关（代码）"), max_length=40)
    step = forms.CharField(label=_("环节名称"), max_length=60)
    opinion = forms.CharField(label=_("本环节意见"), max_length=1000, required=False)


class ConcludeForm(forms.Form):
    decision = forms.ChoiceField(label=_("办理结果"), choices=Decision.choices)
    opinion = forms.CharField(label=_("意见 / 理由"), max_length=2000, required=False)
    result_document = forms.CharField(label=_("结果文书"), max_length=4000, required=False, widget=forms.Textarea)
    fee_yuan = forms.DecimalField(label=_("收费（元）"), min_value=0, max_digits=12, decimal_places=2, required=False)
    on_site = forms.BooleanField(label=_("现场办结"), required=False)


class VisitForm(forms.Form):
    reason = forms.CharField(label=_("事由"), max_length=300, required=False)


class OrderForm(forms.Form):
    instruction = forms.CharField(label=_("纠错要求"), max_length=2000)
    response_workdays = forms.IntegerField(label=_("反馈期限（工作日）"), min_value=1, max_value=30, initial=5)


class OrderResponseForm(forms.Form):
    response = forms.CharField(label=_("整改反馈"), max_length=2000)


class CallbackForm(forms.Form):
    note = forms.CharField(label=_("回访记录"), max_length=2000)
    satisfied = forms.TypedChoiceField(
        label=_("申请人是否满意"),
        choices=[("", _("未表态")), ("1", _("满意")), ("0", _("不满意"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )


class CloseForm(forms.Form):
    summary = forms.CharField(label=_("整改情况"), max_length=2000)
