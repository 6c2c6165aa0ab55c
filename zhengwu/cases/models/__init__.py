from .case import Case, CaseExtension, CaseMaterial, CasePause, CaseStep, Correction
from .evaluation import Evaluation, Rectification
from .outbox import OutboxMessage
from .supervision import CorrectionOrder

__all__ = [
    "Case",
    "CaseExtension",
    "CaseMaterial",
    "CasePause",
    "CaseStep",
    "Correction",
    "CorrectionOrder",
    "Evaluation",
    "OutboxMessage",
    "Rectification",
]
