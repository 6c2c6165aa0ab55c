"""Disclosure at scale: a 100,000-row `disclosure-requests` ledger import (first time and the idempotent re-import)
and catalog search over 200,000 publications (jieba words in PublicationTerm, title first).

Usage: ZHENGWU_DATABASE_URL=... uv run python bench/disclosure/run.py [--rows 100000] [--publications 200000]
Prints seconds and p50/p95 in milliseconds; deletes what it made unless --keep.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--publications", type=int, default=200_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    org = Org.objects.filter(code=CODE).first() or services.org_create(
        actor=None, code=CODE, name="基准测试县人民政府办公室", kind=OrgKind.GOVERNMENT
    )
    print(f"database: {connection.vendor}")
    data = ledger_csv(args.rows, rng)
    t0 = time.perf_counter()
    result = ledger_import(actor=None, kind_name="disclosure-requests", path=Path("bench.csv"), org=org, data=data)
    first = time.perf_counter() - t0
    print(f"import {args.rows} rows: {first:.1f} s {result.as_dict()}")
    t0 = time.perf_counter()
    result = ledger_import(actor=None, kind_name="disclosure-requests", path=Path("bench.csv"), org=org, data=data)
    print(f"re-import (unchanged): {time.perf_counter() - t0:.1f} s {result.as_dict()}")

    column, _ = Column.objects.get_or_create(org=org, code="tzgg", defaults={"name": "通知公告"})
    if not Publication.objects.filter(org=org).exists():
        t0 = time.perf_counter()
        batch: list[Publication] = []
        for i in range(args.publications):
            day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3900))
            word, other = rng.choice(WORDS), rng.choice(WORDS)
            title = f"关于{word}办理的通知（第{i}号）" if i % 50 == 0 else f"关于{other}工作的通知（第{i}号）"
            batch.append(
                Publication(
                    org=org,
                    ref=f"P{i:07d}",
                    index_no=f"{CODE}/{day.year}-{i:07d}",
                    title=title,
                    column=column,
                    status="published",
                    formed_on=day,
                    published_on=day,
                    body_text=f"为做好{other}工作，现将有关事项通知如下。{rng.choice(WORDS)}相关单位要加强协调。" * 3,
                    body="",
                )
            )
            if len(batch) == 5000:
                publication_index(Publication.objects.bulk_create(batch))
                batch = []
        publication_index(Publication.objects.bulk_create(batch))
        print(f"built and indexed {args.publications} publications in {time.perf_counter() - t0:.1f} s")
    timings = []
    queries = [*WORDS, "营业执照办理", "关于食品安全工作的通知"]
    for i in range(60):
        query = queries[i % len(queries)]
        t0 = time.perf_counter()
        page = list(catalog_publications(query=query)[:20])
        if i < len(queries):
            explain_first = page[0].title if page else "—"
            print(f"  {query}: {explain_first}")
        timings.append((time.perf_counter() - t0) * 1000)
        assert page, query
    timings.sort()
    print(
        f"catalog search over {args.publications} publications, first page of 20: "
        f"p50 {statistics.median(timings):.0f} ms, p95 {timings[int(len(timings) * 0.95) - 1]:.0f} ms"
    )
    if not args.keep:
        ids = DisclosureRequest.objects.filter(org=org).values_list("id", flat=True)
        for model in (Clarification, Consultation, Extension):
            model.objects.filter(request_id__in=ids).delete()
        DisclosureRequest.objects.filter(org=org).delete()
        Publication.objects.filter(org=org).delete()
        Column.objects.filter(org=org).delete()
        IndexCounter.objects.filter(org=org).delete()
        print("cleaned up (audit events stay: the chain is append-only)")


if __name__ == "__main__":
    main()
