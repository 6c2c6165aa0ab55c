"""Chinese word search over the catalog: jieba segments titles and bodies into an indexed word table when a
publication is written; a query's words are looked up there and matches are ranked title first, newest first.
A query whose words are not in the index (a single character, an odd segmentation) falls back to a substring match.

How a page is found without reading every match (docs/PERFORMANCE.md, Disclosure): each word row carries a copy of
the publication's catalog date, org and column, indexed as (term, weight, published_on DESC, publication DESC).
The rank of a match is the number of the query's words found only in the body (0: all in the title or document
number), so the result is the concatenation of rank 0, rank 1, … each newest first. Within a rank, each way of
placing the words (which are in the title, which only in the body) is a join of one index range per word, all in the
same order, read until the page is full; the rarest word comes first."""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import jieba
from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from zhengwu.disclosure.models import Publication, PublicationTerm
from zhengwu.disclosure.states import PublicationStatus

jieba.setLogLevel(logging.WARNING)
_WORD = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")
MAX_BODY_CHARS = 20_000
MAX_QUERY_WORDS = 5
# How many publications of a word are counted to pick the rarest word: enough to tell a rare word from a common
# one, bounded so that counting a word found in every publication stays cheap.
RARITY_CAP = 2_000
STOPWORDS = frozenset({"关于", "的", "和", "与", "及", "对", "在", "了", "是", "为", "等"})
SHOWN = (PublicationStatus.PUBLISHED, PublicationStatus.REPEALED)  # in the public catalog


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


def catalog_date(publication: Publication) -> dt.date | None:
    """What the word rows copy as `published_on`: the catalog date, or None while not in the public catalog."""
    return publication.published_on if publication.status in SHOWN else None


def publication_index(publications: Iterable[Publication], *, batch_size: int = 5000) -> int:
    """(Re)build the word rows of these publications; returns the number of rows written."""
    items = list(publications)
    rows = [
        PublicationTerm(
            publication=p,
            term=t,
            weight=w,
            published_on=catalog_date(p),
            org_id=p.org_id,
            column_id=p.column_id,
        )
        for p in items
        for t, w in terms_of(p).items()
    ]
    with transaction.atomic():
        PublicationTerm.objects.filter(publication__in=[p.pk for p in items]).delete()
        PublicationTerm.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


def publication_terms_sync(publications: Iterable[Publication]) -> int:
    """Bring the copy on the word rows (catalog date, column) in step with these publications after a status,
    date or column change that leaves their words as they are; one UPDATE per distinct (date, column)."""
    groups: dict[tuple[dt.date | None, int, int], list[int]] = {}
    for p in publications:
        groups.setdefault((catalog_date(p), p.org_id, p.column_id), []).append(p.pk)
    changed = 0
    with transaction.atomic():
        for (published_on, org_id, column_id), ids in groups.items():
            for start in range(0, len(ids), 5000):
                changed += PublicationTerm.objects.filter(publication_id__in=ids[start : start + 5000]).update(
                    published_on=published_on, org_id=org_id, column_id=column_id
                )
    return changed


# --- search ------------------------------------------------------------------------------------------------------
def query_words(query: str) -> list[str]:
    return words(query, search_mode=False)[:MAX_QUERY_WORDS]


def search_ids(
    tokens: Sequence[str], *, org_ids: Sequence[int] | None = None, column_id: int | None = None, limit: int
) -> list[int] | None:
    """The first `limit` publication ids (ranked) in the catalog holding every word of `tokens`, within the orgs and
    column given; None when a word is in no public publication's index at all (the caller then matches substrings)."""
    scope: dict[str, Any] = {"published_on__isnull": False}
    if org_ids is not None:
        scope.update({"org_id": org_ids[0]} if len(org_ids) == 1 else {"org_id__in": list(org_ids)})
    if column_id is not None:
        scope["column_id"] = column_id
    tokens = list(dict.fromkeys(tokens))
    if len(tokens) > 1:
        # The rarest word first: it bounds the candidates (and a word with no publication in scope ends the search).
        rarity = {t: PublicationTerm.objects.filter(term=t, **scope)[:RARITY_CAP].count() for t in tokens}
        if min(rarity.values()) == 0:
            return None if any(not _indexed(t) for t in tokens if rarity[t] == 0) else []
        tokens.sort(key=lambda t: (rarity[t], -len(t)))
    found: list[int] = []
    for rank in range(len(tokens) + 1):
        want = limit - len(found)
        # every way of having `rank` of the words only in the body; each is newest first, so is their merge
        combos = [w for w in itertools.product((0, 1), repeat=len(tokens)) if sum(w) == rank]
        merged = heapq.merge(*(_matches(tokens, w, org_ids, column_id, want) for w in combos), reverse=True)
        found.extend(pk for _day, pk in itertools.islice(merged, want))
        if len(found) >= limit:
            break
    if not found and len(tokens) == 1 and not _indexed(tokens[0]):
        return None
    return found


def _indexed(term: str) -> bool:
    return PublicationTerm.objects.filter(term=term, published_on__isnull=False).exists()


def _matches(
    tokens: Sequence[str], weights: Sequence[int], org_ids: Sequence[int] | None, column_id: int | None, limit: int
) -> list[tuple[Any, int]]:
    """(catalog date, publication) of the first `limit` publications, newest first, holding each word with the given
    weight. Every word's rows of one weight are one range of the rank index in the same order (the catalog date is
    the publication's on every row), so PostgreSQL merge-joins the ranges and stops at `limit`; SQLite probes the
    other words per row of the first. Both read index entries only."""
    table = connection.ops.quote_name(PublicationTerm._meta.db_table)
    joins: list[str] = []
    params: list[Any] = []
    for i, (term, weight) in enumerate(zip(tokens[1:], weights[1:], strict=True), start=1):
        joins.append(
            f"JOIN {table} t{i} ON t{i}.term = %s AND t{i}.weight = %s AND t{i}.published_on IS NOT NULL"
            f" AND t{i}.published_on = t0.published_on AND t{i}.publication_id = t0.publication_id"
        )
        params += [term, weight]
    where = ["t0.term = %s", "t0.weight = %s", "t0.published_on IS NOT NULL"]
    params += [tokens[0], weights[0]]
    if org_ids is not None and len(org_ids) == 1:
        where.append("t0.org_id = %s")  # the (term, org, weight, …) index: this org's rows only, in order
        params.append(org_ids[0])
    elif org_ids is not None:
        # An org subtree: walk the word's ranked range and filter on the org it carries. "+ 0" keeps the databases
        # from reading every listed org's rows of the word through the (term, org, …) index and sorting them all.
        where.append(f"t0.org_id + 0 IN ({', '.join(['%s'] * len(org_ids))})")
        params += list(org_ids)
    if column_id is not None:
        where.append("t0.column_id = %s")
        params.append(column_id)
    sql = (
        f"SELECT t0.published_on, t0.publication_id FROM {table} t0 {' '.join(joins)} WHERE {' AND '.join(where)}"  # noqa: S608 -- names quoted, values bound
        " ORDER BY t0.published_on DESC, t0.publication_id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [(day, pk) for day, pk in cursor.fetchall()]


def substring_search(qs: QuerySet[Publication], query: str) -> QuerySet[Publication]:
    """`qs` narrowed to publications containing every space-separated part of `query` anywhere (a full scan:
    only for queries the word index cannot answer), the first part in the title first."""
    terms = query.split()[:MAX_QUERY_WORDS]
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


# --- the catalog a page at a time ----------------------------------------------------------------------------
# The deepest a word search pages (250 pages of 20): each page reads the ranked ids up to its end.
SEARCH_DEPTH = 5_000


@dataclass(frozen=True)
class CatalogPage:
    """One page of the catalog. There is no total: counting every match of a common word would cost more than
    finding the page, so the page only knows whether another follows."""

    object_list: list[Publication]
    number: int
    has_next: bool

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


class CatalogResults:
    """The public catalog's publications in order (ranked with a query, newest first without), read by slices or
    pages; nothing is read until then."""

    def __init__(
        self, base: QuerySet[Publication], *, query: str, org_ids: list[int] | None, column_id: int | None
    ) -> None:
        self.base = base
        self.query = query
        self.org_ids = org_ids
        self.column_id = column_id
        self.tokens = query_words(query) if query else []

    def _slice(self, start: int, stop: int) -> list[Publication]:
        if not self.query:
            return list(self.base.order_by("-published_on", "-id")[start:stop])
        stop = min(stop, SEARCH_DEPTH)
        if start >= stop:
            return []
        ids = (
            search_ids(self.tokens, org_ids=self.org_ids, column_id=self.column_id, limit=stop) if self.tokens else None
        )
        if ids is None:
            return list(substring_search(self.base, self.query)[start:stop])
        wanted = ids[start:stop]
        found = self.base.in_bulk(wanted)
        return [found[pk] for pk in wanted if pk in found]

    def __getitem__(self, key: slice) -> list[Publication]:
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("CatalogResults takes a slice without step")
        start = key.start or 0
        stop = key.stop if key.stop is not None else start + SEARCH_DEPTH
        return self._slice(start, stop)

    def __iter__(self) -> Any:
        return iter(self[0:SEARCH_DEPTH])

    def page(self, number: Any, size: int) -> CatalogPage:
        """Page `number` (1-based; anything else reads as 1) of `size` publications."""
        try:
            n = max(1, int(number))
        except (TypeError, ValueError):
            n = 1
        rows = self._slice((n - 1) * size, n * size + 1)  # one more than the page tells whether another follows
        return CatalogPage(rows[:size], n, len(rows) > size)
