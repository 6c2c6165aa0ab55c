"""Write use-cases of the cases domain: intake, review, evaluation, supervision (re-exported here)."""

from .evaluation import evaluation_submit, rectification_close, rectification_record_callback
from .intake import Applicant, Upload, case_add_materials, case_receive_correction, case_register, case_submit
from .review import (
    case_accept,
    case_conclude,
    case_conclude_instant,
    case_extend,
    case_forward,
    case_pause,
    case_record_visit,
    case_reject,
    case_request_correction,
    case_resume,
)
from .supervision import correction_order_issue, correction_order_respond

__all__ = [
    "Applicant",
    "Upload",
    "case_accept",
    "case_add_materials",
    "case_conclude",
    "case_conclude_instant",
    "case_extend",
    "case_forward",
    "case_pause",
    "case_receive_correction",
    "case_record_visit",
    "case_register",
    "case_reject",
    "case_request_correction",
    "case_resume",
    "case_submit",
    "correction_order_issue",
    "correction_order_respond",
    "evaluation_submit",
    "rectification_close",
    "rectification_record_callback",
]
