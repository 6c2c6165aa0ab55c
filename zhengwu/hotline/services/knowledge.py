"""The knowledge base (知识库): operators keep the answers they give to common questions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.core.audit import record_event
from zhengwu.core.errors import InvalidInput
from zhengwu.core.transitions import audited_update
from zhengwu.hotline import policies as hp
from zhengwu.hotline.models import KnowledgeArticle, TicketKind
from zhengwu.orgs import policies
from zhengwu.orgs.models import Org

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff


def _clean(title: str, answer: str, kind: str) -> tuple[str, str]:
    title, answer = title.strip(), answer.strip()
    problems = {}
    if not title:
        problems["title"] = ["required"]
    if not answer:
        problems["answer"] = ["required"]
    if kind not in TicketKind.values:
        problems["kind"] = ["invalid_choice"]
    if problems:
        raise InvalidInput(_("请填写标题和答复口径。"), detail=problems)
    return title[:200], answer


def knowledge_article_create(
    *, actor: Staff | None, org: Org, title: str, answer: str, keywords: str = "", kind: str = TicketKind.CONSULTATION
) -> KnowledgeArticle:
    policies.require(actor, hp.OPERATE, org)
    title, answer = _clean(title, answer, kind)
    with transaction.atomic():
        article = KnowledgeArticle.objects.create(
            org=org, title=title, answer=answer, keywords=keywords.strip()[:300], kind=kind
        )
        record_event(actor=actor, action="hotline.knowledge.create", obj=article, new={"title": title})
    return article


def knowledge_article_update(
    *,
    actor: Staff | None,
    article: KnowledgeArticle,
    title: str,
    answer: str,
    keywords: str = "",
    kind: str = TicketKind.CONSULTATION,
    is_active: bool = True,
) -> KnowledgeArticle:
    policies.require(actor, hp.OPERATE, article)
    title, answer = _clean(title, answer, kind)
    return audited_update(
        article,
        actor=actor,
        action="hotline.knowledge.update",
        changes={
            "title": title,
            "answer": answer,
            "keywords": keywords.strip()[:300],
            "kind": kind,
            "is_active": is_active,
        },
    )
