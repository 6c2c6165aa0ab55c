"""The annual disclosure report (issue #5) over a county's whole subtree: 1,000,000 requests and 2,000,000 cases.

Builds a county government with 30 departments and a service center, then generates in the database itself
(`INSERT … SELECT … FROM generate_series`, seeded, no Python per row) requests received over two years (so the
report year has carry-in and carry-out), every applicant kind and every outcome code, transferred and unanswered
requests; cases of licensing and other items concluded (approved or denied, some with a fee), open or rejected over
the same two years; disputes of the three kinds with every result and pending ones; enforcement decisions; regulations
and normative documents; paid fee notices. `VACUUM ANALYZE` after loading, as autovacuum would.

Then times, in the same run and alternating, `annual_report_read` (what `zhengwu report annual --scope subtree` calls:
the JSON figures) and a hand-written SQL baseline: one `GROUP BY` over the requests and one over the cases producing
the same counts. Prints p50 and max of each and the ratio of the p50s. Usage:

    ZHENGWU_DATABASE_URL=postgres://…/zw_bench_annual uv run python bench/annual/run.py [--requests N] [--cases N]
        [--reps N] [--keep] [--rebuild] [--explain] [--documents]

on a scratch database made with `zhengwu init` (which also creates the cache table the org services use).

`--keep` leaves the data for the next run (which then skips the build; `--rebuild` deletes it first); `--explain`
prints EXPLAIN (ANALYZE, BUFFERS) of the report's queries; `--documents` also times rendering the DOCX and the PDF.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from zhengwu.catalog.models import ServiceItem  # noqa: E402
from zhengwu.catalog.services import ItemContent, item_create  # noqa: E402
from zhengwu.disclosure.models import Column  # noqa: E402
from zhengwu.disclosure.states import ApplicantKind, Outcome  # noqa: E402
from zhengwu.orgs import services as org_services  # noqa: E402
from zhengwu.orgs.models import Org, OrgKind  # noqa: E402
from zhengwu.reports.annual.selectors import annual_report_read  # noqa: E402

PREFIX = "bench-annual-"
YEAR = 2025  # requests and cases span 2024-01-01 … 2025-12-31 (plus replies and conclusions into 2026)
DEPARTMENTS = 30
CATEGORIES = ("licensing", "confirmation", "public_service")  # items per department, round robin


def build_orgs() -> Org:
    gov = org_services.org_create(actor=None, code=PREFIX + "gov", name="基准县人民政府", kind=OrgKind.GOVERNMENT)
    org_services.org_create(
        actor=None, code=PREFIX + "zx", name="基准县政务服务中心", kind=OrgKind.SERVICE_CENTER, parent=gov
    )
    for n in range(DEPARTMENTS):
        dept = org_services.org_create(
            actor=None, code=f"{PREFIX}d{n:02d}", name=f"基准县第{n + 1}局", kind=OrgKind.DEPARTMENT, parent=gov
        )
        for category in CATEGORIES:
            item_create(
                actor=None,
                org=dept,
                code=f"{PREFIX}d{n:02d}-{category}",
                content=ItemContent(
                    name=f"事项{n}-{category}", category=category, statutory_limit_days=20, promised_limit_days=10
                ),
            )
        Column.objects.create(org=dept, code="gfxwj", name="规范性文件")
    Column.objects.create(org=gov, code="gfxwj", name="规范性文件")
    return gov


def _sql_array(values: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]::text[]"


def load(gov: Org, n_requests: int, n_cases: int) -> None:
    """Generate every row in PostgreSQL; a few seconds per million rows, most of it index maintenance."""
    orgs = list(
        Org.objects.filter(path__startswith=gov.path, kind__in=[OrgKind.GOVERNMENT, OrgKind.DEPARTMENT])
        .order_by("path")
        .values_list("id", flat=True)
    )
    items = list(ServiceItem.objects.filter(code__startswith=PREFIX).order_by("code"))
    item_ids = [i.pk for i in items]
    version_ids = [i.current_id for i in items]
    item_orgs = [i.org_id for i in items]
    center = Org.objects.get(code=PREFIX + "zx").pk
    kinds = _sql_array(list(ApplicantKind.values))
    outcomes = _sql_array(list(Outcome.values))
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT setseed(0.5)")
        t0 = time.perf_counter()
        # Requests: received uniformly over 2024–2025; 1 % transferred away, 3 % never answered, the rest answered
        # 0–44 days later (so December's spill into the next year). 70 % from natural persons; 40 % open, 15 %
        # partial, the rest spread over all 21 outcome codes.
        cur.execute(
            f"""
            INSERT INTO disclosure_disclosurerequest (created_at, updated_at, ref, query_code, client_token, status,
                applicant_kind, applicant_name, id_number, contact_phone, contact_email, contact_address, channel,
                submitted_on, received_on, acknowledged_on, subject, purpose, delivery_form, due_on, replied_on,
                outcome, fee_yuan, org_id, transferred_from_id)
            SELECT now(), now(), 'BR' || lpad(n::text, 9, '0'), 'R' || lpad(n::text, 9, '0'), NULL,
                CASE WHEN fate < 0.01 THEN 'transferred' WHEN replied IS NULL THEN 'processing' ELSE 'replied' END,
                CASE WHEN k < 0.7 THEN 'natural_person' ELSE ({kinds})[2 + floor((k - 0.7) / 0.3 * 5)::int] END,
                '申请人', '', '', '', '', 'online', received, received, received, '申请公开有关信息', '', 'paper',
                received + 30, replied,
                CASE WHEN replied IS NULL THEN ''
                     WHEN o < 0.4 THEN 'open' WHEN o < 0.55 THEN 'partial'
                     ELSE ({outcomes})[1 + floor((o - 0.55) / 0.45 * 21)::int] END,
                NULL, (%(orgs)s::bigint[])[1 + g %% %(n_orgs)s], NULL
            FROM (
                SELECT g, received, fate, k, o, row_number() OVER (ORDER BY received, g) AS n,
                    CASE WHEN fate < 0.04 THEN NULL ELSE received + floor(lag * 45)::int END AS replied
                FROM (
                    SELECT g, DATE '2024-01-01' + floor(random() * 731)::int AS received, random() AS fate,
                        random() AS k, random() AS o, random() AS lag
                    FROM generate_series(1, %(n)s) AS g
                ) AS raw
            ) AS r
            ORDER BY n
            """,
            {"orgs": orgs, "n_orgs": len(orgs), "n": n_requests},
        )
        print(f"  {n_requests:,} requests in {time.perf_counter() - t0:.1f} s", flush=True)
        t0 = time.perf_counter()
        # Cases: submitted uniformly over 2024–2025 (inserted in that order, as they would arrive); 92 % concluded
        # 0–15 days after acceptance (90 % approved; an approved case of every third item pays 50 yuan one time in
        # three), 2 % rejected, 6 % still open.
        cur.execute(
            """
            INSERT INTO cases_case (created_at, updated_at, ref, query_code, status, channel, applicant_kind,
                applicant_name, applicant_id_number, applicant_phone, summary, submitted_at, accepted_at, rejected_at,
                concluded_at, decision, opinion, result_document, mode, statutory_limit_days, promised_limit_days,
                due_on, warn_on, visits, on_site, fee_yuan, overdue_notified_at, center_id, item_id, item_version_id,
                org_id, received_by_id, window_id, desk_id)
            SELECT now(), now(), 'BC' || lpad(n::text, 9, '0'), 'C' || lpad(n::text, 9, '0'),
                CASE WHEN fate < 0.92 THEN 'concluded' WHEN fate < 0.94 THEN 'rejected' ELSE 'accepted' END,
                'window', 'person', '申请人', '', '', '', submitted,
                CASE WHEN fate < 0.92 OR fate >= 0.94 THEN submitted + interval '1 hour' END,
                CASE WHEN fate >= 0.92 AND fate < 0.94 THEN submitted + interval '1 hour' END,
                CASE WHEN fate < 0.92 THEN submitted + interval '1 hour' + floor(d * 16) * interval '1 day' END,
                CASE WHEN fate >= 0.92 THEN '' WHEN dec < 0.9 THEN 'approved' ELSE 'denied' END,
                '', '', 'promised', 20, 10,
                CASE WHEN fate < 0.92 OR fate >= 0.94 THEN (submitted AT TIME ZONE 'Asia/Shanghai')::date + 14 END,
                CASE WHEN fate < 0.92 OR fate >= 0.94 THEN (submitted AT TIME ZONE 'Asia/Shanghai')::date + 11 END,
                1, false,
                CASE WHEN fate < 0.92 AND dec < 0.9 AND i %% 3 = 0 AND fee < 0.33 THEN 50 ELSE 0 END,
                NULL, %(center)s, (%(items)s::bigint[])[1 + i], (%(versions)s::bigint[])[1 + i],
                (%(item_orgs)s::bigint[])[1 + i], NULL, NULL, (%(item_orgs)s::bigint[])[1 + i]
            FROM (SELECT *, row_number() OVER (ORDER BY submitted, g) AS n FROM (
                SELECT g, g %% %(n_items)s AS i,
                    TIMESTAMPTZ '2024-01-01 09:00+08' + random() * interval '731 days' AS submitted,
                    random() AS fate, random() AS dec, random() AS d, random() AS fee
                FROM generate_series(1, %(n)s) AS g
            ) AS c0) AS c
            ORDER BY n
            """,
            {
                "center": center,
                "items": item_ids,
                "versions": version_ids,
                "item_orgs": item_orgs,
                "n_items": len(item_ids),
                "n": n_cases,
            },
        )
        print(f"  {n_cases:,} cases in {time.perf_counter() - t0:.1f} s", flush=True)
        t0 = time.perf_counter()
        # Disputes: 6,000 filed over the two years, each kind, decided 30–200 days later with each result or pending.
        cur.execute(
            """
            INSERT INTO disclosure_dispute (created_at, updated_at, ref, kind, filed_on, decided_on, result, note,
                org_id, request_id)
            SELECT now(), now(), 'BD' || g,
                (ARRAY['reconsideration', 'litigation_direct', 'litigation_after_reconsideration'])[1 + g %% 3],
                filed, CASE WHEN r < 0.8 THEN filed + 30 + floor(r * 200)::int END,
                CASE WHEN r >= 0.8 THEN '' ELSE (ARRAY['upheld', 'corrected', 'other'])[1 + floor(r / 0.8 * 3)::int]
                END, '', (%(orgs)s::bigint[])[1 + g %% %(n_orgs)s], NULL
            FROM (SELECT g, DATE '2024-01-01' + floor(random() * 731)::int AS filed, random() AS r
                  FROM generate_series(1, 6000) AS g) AS d
            """,
            {"orgs": orgs, "n_orgs": len(orgs)},
        )
        cur.execute(
            """
            INSERT INTO disclosure_enforcement (created_at, updated_at, ref, kind, decided_on, org_id)
            SELECT now(), now(), 'BE' || g, CASE WHEN random() < 0.8 THEN 'punishment' ELSE 'coercion' END,
                DATE '2024-01-01' + floor(random() * 731)::int, (%(orgs)s::bigint[])[1 + g %% %(n_orgs)s]
            FROM generate_series(1, 50000) AS g
            """,
            {"orgs": orgs, "n_orgs": len(orgs)},
        )
        cur.execute(
            """
            INSERT INTO disclosure_publication (created_at, updated_at, ref, index_no, title, document_no,
                issuing_org_name, doc_type, status, formed_on, published_on, repealed_on, publish_workdays, body,
                body_text, column_id, org_id)
            SELECT now(), now(), 'BP' || g, 'BENCH-ANNUAL-' || g, '文件' || g, '', '',
                CASE WHEN g %% 10 = 0 THEN 'regulation' WHEN g %% 10 < 8 THEN 'normative_document' ELSE 'other' END,
                CASE WHEN repealed IS NULL THEN 'published' ELSE 'repealed' END, published - 5, published, repealed,
                NULL, '', '', c.id, c.org_id
            FROM (SELECT g, published, CASE WHEN random() < 0.2 THEN published + floor(random() * 600)::int END
                      AS repealed
                  FROM (SELECT g, DATE '2018-01-01' + floor(random() * 2900)::int AS published
                        FROM generate_series(1, 6000) AS g) AS p0) AS p
            JOIN disclosure_column AS c ON c.id = (%(columns)s::bigint[])[1 + g %% %(n_columns)s]
            """,
            {
                "columns": list(Column.objects.filter(org__code__startswith=PREFIX).values_list("id", flat=True)),
                "n_columns": DEPARTMENTS + 1,
            },
        )
        # Fee notices on one request in 500, paid in the month after issue (some not paid).
        cur.execute(
            """
            INSERT INTO disclosure_feenotice (created_at, updated_at, method, basis, amount, issued_on, pay_by,
                paid_on, waived_on, waived_reason, request_id)
            SELECT now(), now(), 'per_request', 11, 100 + (r.id %% 7) * 100, r.received_on + 5, r.received_on + 25,
                CASE WHEN r.id / 500 %% 5 <> 0 THEN r.received_on + 12 END, NULL, '', r.id
            FROM disclosure_disclosurerequest AS r
            WHERE r.org_id = ANY(%(orgs)s::bigint[]) AND r.id %% 500 = 0
            """,
            {"orgs": orgs},
        )
        print(f"  disputes, enforcement, publications, fee notices in {time.perf_counter() - t0:.1f} s", flush=True)
        t0 = time.perf_counter()
    print(f"  commit (the foreign keys are checked here: they are deferred) in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        for table in (
            "disclosure_disclosurerequest",
            "cases_case",
            "disclosure_dispute",
            "disclosure_enforcement",
            "disclosure_publication",
            "disclosure_feenotice",
            "orgs_org",
            "catalog_serviceitemversion",
        ):
            cur.execute(f"VACUUM ANALYZE {table}")  # what autovacuum does after a bulk load
    print(f"  VACUUM ANALYZE in {time.perf_counter() - t0:.1f} s", flush=True)


def hand_sql(gov: Org) -> tuple[list[tuple], list[tuple]]:
    """The baseline: one GROUP BY over the requests and one over the cases, giving table B's counts (new,
    carried in, each outcome concluded in the year, still open on 31 Dec, by applicant kind) and the licensing
    decisions and fees of table A."""
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT r.applicant_kind, r.received_on >= %(start)s AS is_new,
                CASE WHEN r.replied_on <= %(end)s THEN r.outcome ELSE 'open_at_end' END AS result, COUNT(*)
            FROM disclosure_disclosurerequest AS r JOIN orgs_org AS o ON o.id = r.org_id
            WHERE o.path LIKE %(path)s AND r.status <> 'transferred' AND r.received_on <= %(end)s
                AND (r.replied_on IS NULL OR r.replied_on >= %(start)s)
            GROUP BY 1, 2, 3
            """,
            {"start": start, "end": end, "path": gov.path + "%"},
        )
        requests = cur.fetchall()
        cur.execute(
            """
            SELECT v.category, c.decision, COUNT(*), SUM(c.fee_yuan)
            FROM cases_case AS c JOIN orgs_org AS o ON o.id = c.org_id
                JOIN catalog_serviceitemversion AS v ON v.id = c.item_version_id
            WHERE o.path LIKE %(path)s AND c.concluded_at >= %(lo)s AND c.concluded_at < %(hi)s
            GROUP BY 1, 2
            """,
            {
                "path": gov.path + "%",
                "lo": dt.datetime(YEAR, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))),
                "hi": dt.datetime(YEAR + 1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))),
            },
        )
        return requests, cur.fetchall()


def check_against_baseline(report: dict, baseline: tuple[list[tuple], list[tuple]]) -> None:
    """The report's figures must be the baseline's, or the comparison means nothing."""
    requests, cases = baseline
    table = report["requests"]
    for kind in ApplicantKind.values:
        mine = [r for r in requests if r[0] == kind]
        assert table["new"][kind] == sum(r[3] for r in mine if r[1]), kind
        assert table["carried_in"][kind] == sum(r[3] for r in mine if not r[1]), kind
        assert table["carried_out"][kind] == sum(r[3] for r in mine if r[2] == "open_at_end"), kind
        for code in Outcome.values:
            assert table[code][kind] == sum(r[3] for r in mine if r[2] == code), (kind, code)
    licensing = sum(r[2] for r in cases if r[0] == "licensing")
    fees = sum(r[3] for r in cases)
    assert report["proactive"]["licensing"]["decisions"] == licensing, licensing
    assert report["proactive"]["administrative_fee"]["amount_10k_yuan"] == f"{fees / 10000:.4f}", fees
    assert all(check["ok"] for check in report["checks"]), report["checks"]


def timed(fn, reps: int) -> list[float]:
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return samples


def time_documents(report: dict, reps: int) -> None:
    """The DOCX (with its embedded font subsets) and the PDF (with WeasyPrint given font subsets), against the PDF
    as before (WeasyPrint cutting down the installed 20–27 MB Noto fonts itself), once."""
    from weasyprint import HTML

    from zhengwu.reports.annual import render

    for label, fn in (("DOCX", render.render_docx), ("PDF", render.render_pdf)):
        samples = timed(lambda fn=fn: fn(report), reps)
        size = len(fn(report))
        print(
            f"  {label:4s} p50 {statistics.median(samples) * 1000:7.0f} ms   max {max(samples) * 1000:7.0f} ms   {size:,} bytes"
        )
    before = timed(lambda: HTML(string=render.render_html(report)).write_pdf(), 1)
    print(f"  PDF as before (installed fonts, subset by WeasyPrint): {before[0] * 1000:7.0f} ms")


def explain(gov: Org) -> None:
    with CaptureQueriesContext(connection) as ctx:
        annual_report_read(actor=None, org=gov, year=YEAR, scope="subtree")
    with connection.cursor() as cur:
        for q in ctx.captured_queries:
            sql = q["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            print("\n" + sql[:300] + " …")
            print("\n".join(r[0] for r in cur.fetchall()))


def cleanup() -> None:
    with transaction.atomic(), connection.cursor() as cur:
        orgs = "SELECT id FROM orgs_org WHERE code LIKE %s"
        cur.execute(
            f"DELETE FROM disclosure_feenotice WHERE request_id IN (SELECT id FROM disclosure_disclosurerequest WHERE org_id IN ({orgs}))",
            [PREFIX + "%"],
        )
        for table in (
            "disclosure_dispute",
            "disclosure_enforcement",
            "disclosure_publication",
            "disclosure_disclosurerequest",
            "cases_case",
        ):
            cur.execute(f"DELETE FROM {table} WHERE org_id IN ({orgs})", [PREFIX + "%"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=2_000_000)
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--documents", action="store_true", help="also time the DOCX and PDF of the report")
    parser.add_argument("--rebuild", action="store_true", help="delete data left by --keep and build afresh")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/annual: set ZHENGWU_DATABASE_URL to a scratch PostgreSQL database")
    gov = Org.objects.filter(code=PREFIX + "gov").first()
    if args.rebuild:
        cleanup()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT COUNT(*) FROM disclosure_disclosurerequest WHERE org_id IN (SELECT id FROM orgs_org WHERE code "
            "LIKE %s)",
            [PREFIX + "%"],
        )
        have = cur.fetchone()[0]
    if gov is None or have == 0:
        t0 = time.perf_counter()
        if gov is None:
            gov = build_orgs()
            print(
                f"  county, {DEPARTMENTS} departments, {DEPARTMENTS * len(CATEGORIES)} items in "
                f"{time.perf_counter() - t0:.1f} s",
                flush=True,
            )
        load(gov, args.requests, args.cases)
        print(f"built {args.requests:,} requests + {args.cases:,} cases in {time.perf_counter() - t0:.1f} s")
    else:
        print(f"reusing the {have:,} requests left by --keep")
    print(f"load average before timing: {Path('/proc/loadavg').read_text().strip()}")

    report = annual_report_read(actor=None, org=gov, year=YEAR, scope="subtree")  # warm caches, then check
    check_against_baseline(report, hand_sql(gov))
    t = report["requests"]
    print(
        f"report {YEAR}: requests new {t['new']['total']:,}, carried in {t['carried_in']['total']:,}, concluded "
        f"{t['concluded_total']['total']:,}, carried out {t['carried_out']['total']:,}; licensing decisions "
        f"{report['proactive']['licensing']['decisions']:,}; fees (10k yuan) "
        f"{report['proactive']['administrative_fee']['amount_10k_yuan']}; figures equal the hand SQL's"
    )
    with CaptureQueriesContext(connection) as ctx:
        annual_report_read(actor=None, org=gov, year=YEAR, scope="subtree")
    report_s: list[float] = []
    hand_s: list[float] = []
    for _ in range(args.reps):  # alternate, so both see the same machine
        report_s += timed(lambda: annual_report_read(actor=None, org=gov, year=YEAR, scope="subtree"), 1)
        hand_s += timed(lambda: hand_sql(gov), 1)
    p50_r, p50_h = statistics.median(report_s), statistics.median(hand_s)
    print(f"annual report, {YEAR}, county subtree ({len(ctx.captured_queries)} queries), {args.reps} runs:")
    print(f"  report    p50 {p50_r * 1000:7.0f} ms   max {max(report_s) * 1000:7.0f} ms   (target < 2000 ms)")
    print(f"  hand SQL  p50 {p50_h * 1000:7.0f} ms   max {max(hand_s) * 1000:7.0f} ms")
    print(f"  ratio report / hand SQL (p50): {p50_r / p50_h:.2f}   (target ≤ 3)")
    print(f"load average after timing: {Path('/proc/loadavg').read_text().strip()}")
    if args.documents:
        time_documents(report, args.reps)
    if args.explain:
        explain(gov)
    if not args.keep:
        t0 = time.perf_counter()
        cleanup()
        print(f"cleaned up in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
