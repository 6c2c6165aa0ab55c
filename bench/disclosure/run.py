"""Disclosure at scale: a 100,000-row `disclosure-requests` ledger import (first time and the idempotent re-import)
and catalog search over 200,000 publications (jieba words in PublicationTerm, title first).

Usage: ZHENGWU_DATABASE_URL=... uv run python bench/disclosure/run.py [--rows 100000] [--publications 200000]
       [--search-only] [--reps 10] [--keep]
The publications belong to a county government and 20 departments under it (one large, 19 small), two columns
each; besides the ten common words, two rare words are in 1/200 and 1/2000 of the bodies. After building them the
bench runs VACUUM ANALYZE (PostgreSQL) or ANALYZE (SQLite), as autovacuum would. Each query is run once to warm up,
then `--reps` times; the catalog's first page (20, as the portal asks it: 21 read to know whether a next page
exists) is timed, by kind of query. `--search-only` skips the request ledger import and keeps the publications
for the next run. Prints seconds and p50/p95 in milliseconds; deletes what it made unless --keep or --search-only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from zhengwu.core.ledger import ledger_import  # noqa: E402
from zhengwu.disclosure.models import (  # noqa: E402
    Clarification,
    Column,
    Consultation,
    DisclosureRequest,
    Extension,
    IndexCounter,
    Publication,
    PublicationTerm,
)
from zhengwu.disclosure.search import publication_index  # noqa: E402
from zhengwu.disclosure.selectors import catalog_publications  # noqa: E402
from zhengwu.orgs import services  # noqa: E402
from zhengwu.orgs.models import Org, OrgKind  # noqa: E402

CODE = "bench-disclosure"
KINDS = ["natural_person", "enterprise", "research", "public_welfare", "legal_service", "other_org"]
OUTCOMES = ["open", "partial", "withheld.third_party", "unavailable.not_held", "not_processed.duplicate", "other.other"]
WORDS = [
    "营业执照",
    "食品安全",
    "农村公路",
    "城乡供水",
    "义务教育",
    "医疗保障",
    "生态环境",
    "住房保障",
    "文化旅游",
    "安全生产",
]


def ledger_csv(rows: int, rng: random.Random) -> bytes:
    lines = [
        "ref,applicant_kind,applicant_name,channel,received_on,subject,clarification_sent_on,clarification_received_on,"
        "consultation_from,consultation_to,extension_workdays,replied_on,outcome,fee_yuan"
    ]
    start = dt.date(2024, 1, 2)
    for i in range(rows):
        received = start + dt.timedelta(days=rng.randint(0, 600))
        clar = cons = ext = replied = outcome = ""
        clar_back = cons_to = ""
        r = rng.random()
        if r < 0.1:
            clar = (received + dt.timedelta(days=2)).isoformat()
            clar_back = (received + dt.timedelta(days=6)).isoformat()
        elif r < 0.15:
            cons = (received + dt.timedelta(days=3)).isoformat()
            cons_to = (received + dt.timedelta(days=10)).isoformat()
        elif r < 0.2:
            ext = "10"
        if rng.random() < 0.9:
            replied = (received + dt.timedelta(days=rng.randint(12, 30))).isoformat()
            outcome = rng.choice(OUTCOMES)
        lines.append(
            f"R{i:07d},{rng.choice(KINDS)},申请人{i % 5000},{rng.choice(['in_person', 'mail', 'online'])},"
            f"{received.isoformat()},关于{rng.choice(WORDS)}的信息,{clar},{clar_back},{cons},{cons_to},{ext},"
            f"{replied},{outcome},"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


RARE = ["专项债券", "地质灾害"]  # in 1/200 and 1/2000 of the bodies
DEPARTMENTS = 20


def _bench_orgs(gov: Org) -> tuple[list[Org], dict[int, list[Column]]]:
    """The government and its departments (created on the first run), with two columns each."""
    orgs = [gov]
    for i in range(1, DEPARTMENTS + 1):
        code = f"{CODE}-d{i:02d}"
        orgs.append(
            Org.objects.filter(code=code).first()
            or services.org_create(
                actor=None, code=code, name=f"基准测试县第{i}局", kind=OrgKind.DEPARTMENT, parent=CODE
            )
        )
    columns: dict[int, list[Column]] = {}
    for o in orgs:
        columns[o.pk] = [
            Column.objects.get_or_create(org=o, code=code, defaults={"name": name})[0]
            for code, name in (("tzgg", "通知公告"), ("zcwj", "政策文件"))
        ]
    return orgs, columns


def _build_publications(count: int, rng: random.Random, orgs: list[Org], columns: dict[int, list[Column]]) -> None:
    # the government 10 %, the first department 30 %, each of the other 19 about 3 %
    weights = [10, 30] + [3] * (len(orgs) - 2)
    batch: list[Publication] = []
    for i in range(count):
        day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3900))
        word, other = rng.choice(WORDS), rng.choice(WORDS)
        org = rng.choices(orgs, weights)[0]
        title = f"关于{word}办理的通知（第{i}号）" if i % 50 == 0 else f"关于{other}工作的通知（第{i}号）"
        rare = RARE[1] if i % 2000 == 7 else RARE[0] if i % 200 == 3 else ""
        batch.append(
            Publication(
                org=org,
                ref=f"P{i:07d}",
                index_no=f"{CODE}/{day.year}-{i:07d}",
                title=title,
                column=rng.choice(columns[org.pk]),
                status="published",
                formed_on=day,
                published_on=day,
                body_text=f"为做好{other}工作，现将有关事项通知如下。{rng.choice(WORDS)}相关单位要加强协调。" * 3
                + (f"涉及{rare}。" if rare else ""),
                body="",
            )
        )
        if len(batch) == 5000:
            publication_index(Publication.objects.bulk_create(batch))
            batch = []
    if batch:
        publication_index(Publication.objects.bulk_create(batch))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * q) - 1)]


def _search(orgs: list[Org], columns: dict[int, list[Column]], reps: int) -> None:
    gov, big, small = orgs[0], orgs[1], orgs[-1]
    kinds: dict[str, list[dict[str, Any]]] = {
        "one common word (~19 % of publications)": [{"query": w} for w in WORDS],
        "one rare word (1/200, 1/2000)": [{"query": w} for w in RARE],
        "two words (营业执照办理)": [{"query": "营业执照办理"}],
        "two words, one rare (食品安全 专项债券)": [{"query": "食品安全 专项债券"}],
        "two common words seldom in one title (营业执照 医疗保障)": [{"query": "营业执照 医疗保障"}],
        "three words (关于食品安全工作的通知)": [{"query": "关于食品安全工作的通知"}],
        "one common word in an org (30 % / 3 % department)": [
            {"query": w, "org": o} for w in WORDS[:3] for o in (big, small)
        ],
        "one common word in a column of a 3 % department": [
            {"query": w, "org": small, "column": columns[small.pk][0]} for w in WORDS[:3]
        ],
        "two words in the government's subtree (21 orgs)": [
            {"query": "营业执照办理", "org": gov, "subtree": True},
            {"query": "食品安全 安全生产", "org": gov, "subtree": True},
        ],
        "one common word, page 5": [{"query": w, "page": 5} for w in WORDS[:3]],
        "no query: newest first (all; a 3 % department; the subtree)": [
            {},
            {"org": small},
            {"org": gov, "subtree": True},
        ],
    }
    if not Publication.objects.filter(org=big).exists():
        # publications built by the earlier bench (one org, no rare words): only the queries it had, and the rest
        # of the same kind, so the figures compare with the earlier design on the same data
        print("  (data of the earlier bench: one org, no rare words)")
        kinds = {
            k: v for k, v in kinds.items() if not any(word in k for word in ("rare", "org", "subtree", "department"))
        }
        kinds["no query: newest first (all; a 3 % department; the subtree)"] = [{}]
    for kind, cases in kinds.items():
        timings: list[float] = []
        for rep in range(reps + 1):
            for case in cases:
                args = dict(case)
                page_no = args.pop("page", 1)
                t0 = time.perf_counter()
                page = catalog_publications(**args).page(page_no, 20)
                elapsed = (time.perf_counter() - t0) * 1000
                assert page.object_list, case
                if rep == 0:
                    if (kind.startswith("one common word (") and case is cases[0]) or "words" in kind:
                        print(f"    {case.get('query', '')!r}: {page.object_list[0].title}")
                    continue  # the warm-up round is not timed
                timings.append(elapsed)
        print(
            f"  {kind}: p50 {statistics.median(timings):.1f} ms, p95 {_pct(timings, 0.95):.1f} ms ({len(timings)} runs)"
        )


def _publications_and_search(args: argparse.Namespace, rng: random.Random, gov: Org) -> list[Org]:
    orgs, columns = _bench_orgs(gov)
    if not Publication.objects.filter(org__in=orgs).exists():
        t0 = time.perf_counter()
        _build_publications(args.publications, rng, orgs, columns)
        print(f"built and indexed {args.publications} publications in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            for model in (Publication, PublicationTerm):
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"VACUUM ANALYZE {table}" if connection.vendor == "postgresql" else f"ANALYZE {table}")
        print(f"analyzed in {time.perf_counter() - t0:.1f} s")
    print(
        f"catalog: {Publication.objects.filter(org__in=orgs).count()} publications, "
        f"{PublicationTerm.objects.count()} word rows; first page of 20, {args.reps} runs per query:"
    )
    _search(orgs, columns, args.reps)
    return orgs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--publications", type=int, default=200_000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--search-only", action="store_true", help="skip the ledger import, keep the publications")
    parser.add_argument("--reps", type=int, default=10)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the database cache some services write to
    rng = random.Random(7)
    gov = Org.objects.filter(code=CODE).first() or services.org_create(
        actor=None, code=CODE, name="基准测试县人民政府办公室", kind=OrgKind.GOVERNMENT
    )
    print(f"database: {connection.vendor}")
    if not args.search_only:
        data = ledger_csv(args.rows, rng)
        t0 = time.perf_counter()
        result = ledger_import(actor=None, kind_name="disclosure-requests", path=Path("bench.csv"), org=gov, data=data)
        print(f"import {args.rows} rows: {time.perf_counter() - t0:.1f} s {result.as_dict()}")
        t0 = time.perf_counter()
        result = ledger_import(actor=None, kind_name="disclosure-requests", path=Path("bench.csv"), org=gov, data=data)
        print(f"re-import (unchanged): {time.perf_counter() - t0:.1f} s {result.as_dict()}")
    orgs = _publications_and_search(args, rng, gov)
    if not args.keep and not args.search_only:
        ids = DisclosureRequest.objects.filter(org=gov).values_list("id", flat=True)
        for model in (Clarification, Consultation, Extension):
            model.objects.filter(request_id__in=ids).delete()
        DisclosureRequest.objects.filter(org=gov).delete()
        Publication.objects.filter(org__in=orgs).delete()
        Column.objects.filter(org__in=orgs).delete()
        IndexCounter.objects.filter(org__in=orgs).delete()
        print("cleaned up (audit events stay: the chain is append-only; the orgs stay)")


if __name__ == "__main__":
    main()
