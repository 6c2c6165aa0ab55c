from .dispute import Dispute, Enforcement
from .publication import Attachment, Column, IndexCounter, IndexScheme, Publication, PublicationTerm
from .request import (
    Clarification,
    Consultation,
    DisclosureRequest,
    Extension,
    FeeNotice,
    Reply,
    RequestDocument,
)

__all__ = [
    "Attachment",
    "Clarification",
    "Column",
    "Consultation",
    "DisclosureRequest",
    "Dispute",
    "Enforcement",
    "Extension",
    "FeeNotice",
    "IndexCounter",
    "IndexScheme",
    "Publication",
    "PublicationTerm",
    "Reply",
    "RequestDocument",
]
