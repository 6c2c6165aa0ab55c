from .audit import AuditChainHead, AuditEvent
from .base import TimeStampedModel

__all__ = ["AuditChainHead", "AuditEvent", "TimeStampedModel"]
