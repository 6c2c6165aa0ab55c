"""Write use-cases of the hotline; each is one keyword-only function `<entity>_<action>`."""

from zhengwu.hotline.services.cards import cards_evaluate
from zhengwu.hotline.services.closing import ticket_callback, ticket_conclude, ticket_reopen
from zhengwu.hotline.services.config import (
    api_client_revoke,
    card_rule_set,
    handling_rule_clear,
    handling_rule_set,
)
from zhengwu.hotline.services.dispatch import (
    ticket_accept,
    ticket_dispatch,
    ticket_forward,
    ticket_return,
    ticket_urge,
)
from zhengwu.hotline.services.handling import extension_decide, extension_request, ticket_reply
from zhengwu.hotline.services.intake import (
    TicketCreated,
    api_client_create,
    ticket_answer_directly,
    ticket_convert,
    ticket_create,
)
from zhengwu.hotline.services.knowledge import knowledge_article_create, knowledge_article_update

__all__ = [
    "TicketCreated",
    "api_client_create",
    "api_client_revoke",
    "card_rule_set",
    "cards_evaluate",
    "extension_decide",
    "extension_request",
    "handling_rule_clear",
    "handling_rule_set",
    "knowledge_article_create",
    "knowledge_article_update",
    "ticket_accept",
    "ticket_answer_directly",
    "ticket_callback",
    "ticket_conclude",
    "ticket_convert",
    "ticket_create",
    "ticket_dispatch",
    "ticket_forward",
    "ticket_reopen",
    "ticket_reply",
    "ticket_return",
    "ticket_urge",
]
