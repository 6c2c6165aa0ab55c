"""Forms of the disclosure staff pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengwu.disclosure.states import (
    REPLY_OUTCOMES,
    ApplicantKind,
    Channel,
    DeliveryForm,
    DisputeKind,
    DisputeResult,
    DocType,
    FeeMethod,
    Outcome,
)

DATE = forms.DateInput(attrs={"type": "date"})


class RegisterForm(forms.Form):
    channel = forms.ChoiceField(label=_("申请方式"), choices=Channel.choices)
    applicant_kind = forms.ChoiceField(label=_("申请人类型"), choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label=_("申请人"), max_length=200)
    id_number = forms.CharField(label=_("证件号码"), max_length=30, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    contact_address = forms.CharField(label=_("通信地址"), max_length=300, required=False)
    subject = forms.CharField(label=_("申请内容"), widget=forms.Textarea(attrs={"rows": 3}))
    delivery_form = forms.ChoiceField(label=_("获取信息方式"), choices=DeliveryForm.choices)
    submitted_on = forms.DateField(label=_("提交日期（当面）"), required=False, widget=DATE)
    signed_on = forms.DateField(label=_("签收日期（信函）"), required=False, widget=DATE)
    confirmed_on = forms.DateField(label=_("确认日期（网络、传真、平常信函等）"), required=False, widget=DATE)
    ref = forms.CharField(label=_("编号（空则自动编号）"), max_length=40, required=False)


class _Expected(forms.Form):
    expected = forms.CharField(widget=forms.HiddenInput, required=False)


class AcknowledgeForm(_Expected):
    confirmed_on = forms.DateField(label=_("确认收到日期"), required=False, widget=DATE)


class ClarifyForm(_Expected):
    items = forms.CharField(label=_("需补正的内容"), widget=forms.Textarea(attrs={"rows": 2}))
    sent_on = forms.DateField(label=_("告知日期"), required=False, widget=DATE)
    deadline = forms.DateField(label=_("补正期限"), required=False, widget=DATE)


class ReceiveClarificationForm(_Expected):
    received_on = forms.DateField(label=_("收到补正日期"), required=False, widget=DATE)
    clarified_subject = forms.CharField(
        label=_("补正后的申请内容"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ConsultForm(_Expected):
    third_party = forms.CharField(label=_("第三方"), max_length=200)
    from_on = forms.DateField(label=_("发出日期"), required=False, widget=DATE)


class EndConsultationForm(_Expected):
    to_on = forms.DateField(label=_("收到意见日期"), required=False, widget=DATE)
    opinion = forms.CharField(label=_("第三方意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ExtendForm(_Expected):
    workdays = forms.IntegerField(label=_("延期工作日"), min_value=1, max_value=20)
    approved_by = forms.CharField(label=_("批准负责人"), max_length=100)
    reason = forms.CharField(label=_("延期理由"), max_length=500)


class FeeNoticeForm(_Expected):
    method = forms.ChoiceField(label=_("计收方式"), choices=FeeMethod.choices)
    pages = forms.IntegerField(label=_("页数（按量）"), min_value=0, required=False)


class PayForm(_Expected):
    paid_on = forms.DateField(label=_("缴费日期"), required=False, widget=DATE)


class WaiveForm(_Expected):
    reason = forms.CharField(label=_("减免理由"), max_length=500)


class ReplyForm(_Expected):
    outcome = forms.ChoiceField(
        label=_("办理结果"), choices=[(o.value, o.label) for o in Outcome if o in REPLY_OUTCOMES]
    )
    legal_basis = forms.CharField(label=_("法律依据"), widget=forms.Textarea(attrs={"rows": 2}))
    delivered_items = forms.CharField(label=_("提供的信息"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    replied_on = forms.DateField(label=_("答复日期"), required=False, widget=DATE)


class TransferForm(_Expected):
    to_org = forms.CharField(label=_("转至机关（机构代码）"), max_length=40)
    reason = forms.CharField(label=_("转办理由"), max_length=500)


class DisputeForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=DisputeKind.choices)
    filed_on = forms.DateField(label=_("立案日期"), widget=DATE)
    request_ref = forms.CharField(label=_("关联申请编号"), max_length=40, required=False)
    org = forms.CharField(label=_("机关代码"), max_length=40)


class DecideForm(forms.Form):
    decided_on = forms.DateField(label=_("结案日期"), widget=DATE)
    result = forms.ChoiceField(label=_("结果"), choices=DisputeResult.choices)


class PublicationForm(forms.Form):
    column = forms.CharField(label=_("栏目代码"), max_length=40)
    title = forms.CharField(label=_("标题"), max_length=300)
    document_no = forms.CharField(label=_("文号"), max_length=100, required=False)
    doc_type = forms.ChoiceField(label=_("文件类型"), choices=DocType.choices)
    formed_on = forms.DateField(label=_("形成/变更日期"), widget=DATE)
    body = forms.CharField(label=_("正文（HTML）"), widget=forms.Textarea(attrs={"rows": 10}), required=False)


class PublishForm(_Expected):
    masked = forms.BooleanField(label=_("发布脱敏版本"), required=False)
    accept_hits_reason = forms.CharField(label=_("可以公开的理由"), max_length=500, required=False)
    manually_checked = forms.BooleanField(
        label=_("无法自动检查的附件已人工核对，不含不应公开的个人信息"), required=False
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件（PDF、DOCX、XLSX、图片，20 MB 以内）"))


class TemplateUploadForm(forms.Form):
    file = forms.FileField(label=_("修改后的模板（DOCX）"))
