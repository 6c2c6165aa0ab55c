from .choices import (
    SATISFIED_RESULTS,
    SUBTYPES,
    CallbackResult,
    CardColor,
    Channel,
    ConversionTarget,
    DispatchRole,
    ExtensionStatus,
    LimitUnit,
    TicketKind,
    Urgency,
)
from .config import ApiClient, Card, CardRule, HandlingRule, KnowledgeArticle, hash_api_key
from .suggest import DispatchModel
from .ticket import Callback, Dispatch, ExtensionRequest, Reply, Ticket, TicketSequence, Urge

__all__ = [
    "SATISFIED_RESULTS",
    "SUBTYPES",
    "ApiClient",
    "Callback",
    "CallbackResult",
    "Card",
    "CardColor",
    "CardRule",
    "Channel",
    "ConversionTarget",
    "Dispatch",
    "DispatchModel",
    "DispatchRole",
    "ExtensionRequest",
    "ExtensionStatus",
    "HandlingRule",
    "KnowledgeArticle",
    "LimitUnit",
    "Reply",
    "Ticket",
    "TicketKind",
    "TicketSequence",
    "Urge",
    "Urgency",
    "hash_api_key",
]
