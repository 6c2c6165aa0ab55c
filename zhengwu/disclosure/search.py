"""Chinese word search over the catalog: jieba segments titles and bodies into an indexed word table when a
publication is written; a query's words are looked up there and matches are ranked title first, newest first.
A query whose words are not in the index (a single character, an odd segmentation) falls back to a substring match."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

import jieba
from django.db import transaction
from django.db.models import F, FilteredRelation, Q, QuerySet, Value

from zhengwu.disclosure.models import Publication, PublicationTerm

jieba.setLogLevel(logging.WARNING)
_WORD = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")
MAX_BODY_CHARS = 20_000
STOPWORDS = frozenset({"关于", "的", "和", "与", "及", "对", "在", "了", "是", "为", "等"})


def words(text: str, *, search_mode: bool = True) -> list[str]:
    cut = jieba.cut_for_search(text) if search_mode else jieba.cut(text)
    out: list[str] = []
    seen: set[str] = set()
    for raw in cut:
        word = raw.strip().lower()[:32]
        if not word or word in seen or word in STOPWORDS or not _WORD.search(word):
            continue
        if len(word) == 1 and not word.isascii():
            continue  # single characters would make the index as large as the text; they fall back to substring
        seen.add(word)
        out.append(word)
    return out


def terms_of(publication: Publication) -> dict[str, int]:
    weights: dict[str, int] = {}
    for word in words(f"{publication.title} {publication.document_no}"):
        weights[word] = 0
    for word in words(publication.body_text[:MAX_BODY_CHARS]):
        weights.setdefault(word, 1)
    return weights


def publication_index(publications: Iterable[Publication], *, batch_size: int = 5000) -> int:
    """(Re)build the word rows of these publications; returns the number of rows written."""
    items = list(publications)
    rows = [PublicationTerm(publication=p, term=t, weight=w) for p in items for t, w in terms_of(p).items()]
    with transaction.atomic():
        PublicationTerm.objects.filter(publication__in=[p.pk for p in items]).delete()
        PublicationTerm.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


def search(qs: QuerySet[Publication], query: str) -> QuerySet[Publication]:
    """`qs` narrowed to publications containing every word of `query`, ranked title first then newest."""
    tokens = words(query, search_mode=False)[:5]
    if tokens and all(PublicationTerm.objects.filter(term=t).exists() for t in tokens):
        # One join per word on its index range (term, weight, publication): no per-row subquery, so the database
        # touches only the publications that contain the words.
        rank: Any = Value(0)
        for i, token in enumerate(tokens):
            alias = f"w{i}"
            # "has this word" tested on the (never null) weight, which the (term, weight, publication) index holds:
            # testing the joined row's id would make the database read every matching term row from the table.
            qs = qs.annotate(**{alias: FilteredRelation("terms", condition=Q(terms__term=token))}).filter(
                **{f"{alias}__weight__isnull": False}
            )
            rank = rank + F(f"{alias}__weight")
        # rank = how many of the query's words are only in the body (0: all in the title or document number)
        return qs.annotate(rank=rank).order_by("rank", "-published_on", "-id")
    return _substring(qs, query)


def _substring(qs: QuerySet[Publication], query: str) -> QuerySet[Publication]:
    from django.db.models import Case, IntegerField, When

    terms = query.split()[:5]
    for term in terms:
        qs = qs.filter(Q(title__icontains=term) | Q(document_no__icontains=term) | Q(body_text__icontains=term))
    first = terms[0]
    return qs.annotate(
        rank=Case(
            When(title__icontains=first, then=Value(0)),
            When(document_no__icontains=first, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("rank", "-published_on", "-id")
