"""`{% load disclosure %}`: Chinese names of the disclosure audit actions for the request's history."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

ACTION_LABELS = {
    "disclosure.request_submit": _("网上提交申请"),
    "disclosure.request_register": _("登记申请"),
    "disclosure.request_acknowledge": _("确认收到"),
    "disclosure.document_issue": _("出具文书"),
    "disclosure.request_ask_clarification": _("补正告知"),
    "disclosure.request_receive_clarification": _("收到补正"),
    "disclosure.request_close_unclarified": _("逾期未补正办结"),
    "disclosure.request_start_consultation": _("征求第三方意见"),
    "disclosure.request_end_consultation": _("收到第三方意见"),
    "disclosure.request_extend": _("延期答复"),
    "disclosure.fee_notice_issue": _("收费通知"),
    "disclosure.fee_notice_pay": _("缴费"),
    "disclosure.fee_notice_waive": _("减免费用"),
    "disclosure.request_close_fee_unpaid": _("逾期未缴费办结"),
    "disclosure.request_reply": _("答复"),
    "disclosure.request_transfer": _("转办"),
    "disclosure.request_transfer_in": _("转入"),
    "disclosure.due_recompute": _("节假日安排变更，重算期限"),
    "ledger.create": _("台账导入"),
    "ledger.update": _("台账更新"),
    "ledger.steps": _("台账更新办理步骤"),
}


@register.filter
def disclosure_action(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
