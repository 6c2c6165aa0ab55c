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
from .template import DocumentTemplate

__all__ = [
    "Attachment",
    "Clarification",
    "Column",
    "Consultation",
    "DisclosureRequest",
    "Dispute",
    "DocumentTemplate",
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
