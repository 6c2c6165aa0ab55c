"""Service statistics for a city's year: `zhengwu report service` over 3,000,000 cases, against a hand-written SQL
aggregate over the same rows, in the same run.

Builds (once; kept for the next run with --keep) a city with 8 counties, each with 15 departments, a service center
with 10 windows and a few convenience centers; one county keeps other office hours and one has a local day off, so
the report meets three working-time settings. The cases are written with COPY in submission order, as a real table
is (open cases are the recent ones), with their stored facts (working time, local dates, evaluation level,
rectified) computed vectorised as zhengwu.cases.work_facts does for bulk writes; the table's secondary indexes are
dropped for the load and rebuilt after it, foreign-key triggers skipped (needs a superuser); with evaluations and
rectifications, then VACUUM ANALYZE. Then it checks that the report's figures equal those of a hand-written SQL
aggregate over the same rows and stored columns, and times both, alternating, printing p50/max and the ratio.
`--check-sql` also compares every stored working time with the SQL recompute path; `--small` times one county's
year and the city's September instead.

    createdb zw_bench_service && ZHENGWU_DATABASE_URL=postgres://postgres@127.0.0.1:5432/zw_bench_service \\
        uv run python bench/service/run.py [--cases 3000000] [--repeat 5] [--keep] [--check-sql] [--small]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from zhengwu.cases.work_facts import work_arrays  # noqa: E402
from zhengwu.catalog.models import Mode  # noqa: E402
from zhengwu.catalog.services import ItemContent, item_create  # noqa: E402
from zhengwu.orgs import services as org_services  # noqa: E402
from zhengwu.orgs.models import Org, OrgKind  # noqa: E402
from zhengwu.reports.service.aggregate import SESSION_SETTINGS  # noqa: E402
from zhengwu.reports.service.metrics import compute_service_metrics  # noqa: E402
from zhengwu.workdays import add_workdays_array  # noqa: E402
from zhengwu.workdays.models import LocalDayOff  # noqa: E402
from zhengwu.workdays.services import calendar_changed  # noqa: E402

PREFIX = "bench-svc-"
COUNTIES = 8
DEPARTMENTS = 15
WINDOWS = 10
FIRST, LAST = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
LOADED = f"{PREFIX}loaded"  # an org whose existence says the cases were loaded completely

CASE_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "ref",
    "query_code",
    "status",
    "channel",
    "applicant_kind",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "summary",
    "submitted_at",
    "accepted_at",
    "rejected_at",
    "concluded_at",
    "decision",
    "opinion",
    "result_document",
    "mode",
    "statutory_limit_days",
    "promised_limit_days",
    "due_on",
    "warn_on",
    "visits",
    "on_site",
    "fee_yuan",
    "center_id",
    "item_id",
    "item_version_id",
    "org_id",
    "window_id",
    "desk_id",
    "accepted_on",
    "concluded_on",
    "accept_workdays",
    "conclude_workdays",
    "evaluation_level",
    "rectified",
)
NOW = np.datetime64("2025-12-31T16:00", "s")  # 1 Jan 2026 00:00 Shanghai in UTC: the data's "now"


def build_orgs() -> dict[str, object]:
    """The city, its counties, departments, centers, windows and items, made through the services."""
    org_services.division_create(actor=None, code="33", name="基准省", level="province")
    org_services.division_create(actor=None, code="3399", name="基准市", level="city", parent_code="33")
    city = org_services.org_create(
        actor=None, code=PREFIX + "city", name="基准市人民政府", kind=OrgKind.GOVERNMENT, division="3399"
    )
    depts: list[dict[str, object]] = []
    windows: dict[int, list[int]] = {}
    centers: dict[int, int] = {}
    for c in range(COUNTIES):
        code = f"3399{c + 1:02d}"
        org_services.division_create(actor=None, code=code, name=f"基准{c + 1}县", level="county", parent_code="3399")
        hours = "08:30-12:00,14:00-17:30" if c == 6 else None
        gov = org_services.org_create(
            actor=None,
            code=f"{PREFIX}c{c}",
            name=f"基准{c + 1}县人民政府",
            kind=OrgKind.GOVERNMENT,
            parent=city,
            division=code,
            office_hours=hours,
        )
        center = org_services.org_create(
            actor=None,
            code=f"{PREFIX}c{c}-zx",
            name=f"基准{c + 1}县政务服务中心",
            kind=OrgKind.SERVICE_CENTER,
            parent=gov,
            division=code,
            office_hours=hours,
        )
        centers[c] = center.pk
        hall = org_services.hall_create(actor=None, org=center, name="大厅")
        for t in range(4):
            tcode = f"{code}{t + 1:03d}"
            org_services.division_create(
                actor=None, code=tcode, name=f"基准镇{c}-{t}", level="township", parent_code=code
            )
            if t < 3:
                org_services.org_create(
                    actor=None,
                    code=f"{PREFIX}c{c}-t{t}",
                    name=f"基准镇{c}-{t}便民服务中心",
                    kind=OrgKind.CONVENIENCE_CENTER,
                    parent=gov,
                    division=tcode,
                )
        county_depts = []
        for d in range(DEPARTMENTS):
            dept = org_services.org_create(
                actor=None,
                code=f"{PREFIX}c{c}-d{d}",
                name=f"基准{c + 1}县第{d + 1}局",
                kind=OrgKind.DEPARTMENT,
                parent=gov,
                division=code,
                office_hours=hours,
            )
            statutory, promised = (20, 10) if d % 2 else (5, 2)
            promised_item = item_create(
                actor=None,
                org=dept,
                code=f"{PREFIX}c{c}d{d}p",
                content=ItemContent(
                    name="许可", category="licensing", statutory_limit_days=statutory, promised_limit_days=promised
                ),
            )
            instant_item = item_create(
                actor=None,
                org=dept,
                code=f"{PREFIX}c{c}d{d}i",
                content=ItemContent(name="即办", category="public_service", mode=Mode.INSTANT, online=True),
            )
            county_depts.append(dept)
            depts.append(
                {
                    "id": dept.pk,
                    "county": c,
                    "promised": (promised_item.pk, promised_item.current_id, statutory, promised),
                    "instant": (instant_item.pk, instant_item.current_id),
                }
            )
        windows[c] = [
            org_services.window_create(
                actor=None, hall=hall, number=f"A{w + 1:02d}", name=f"综合{w + 1}", departments=county_depts
            ).pk
            for w in range(WINDOWS)
        ]
    # A local day off in county 8 (a division-specific calendar).
    LocalDayOff.objects.create(division_code="339908", date=dt.date(2025, 3, 3), name="基准节")
    calendar_changed()
    return {"city": city, "depts": depts, "windows": windows, "centers": centers}


def _stamp(values: np.ndarray) -> list[str]:
    """datetime64[s] (UTC) → COPY text."""
    return [s + "+00" for s in np.datetime_as_string(values, unit="s").tolist()]


def load_cases(world: dict[str, object], n: int, seed: int = 7) -> None:
    """n cases written in submission order, as a real table is: the open and pending cases are the recent ones
    (whatever would have been accepted or concluded after the data's "now", 1 Jan 2026, and 0.5 % stuck older ones),
    with their stored facts (working time, local dates, evaluation) computed vectorised per county setting."""
    rng = np.random.default_rng(seed)
    depts: list[dict[str, Any]] = world["depts"]  # type: ignore[assignment]
    windows: dict[int, list[int]] = world["windows"]  # type: ignore[assignment]
    centers: dict[int, int] = world["centers"]  # type: ignore[assignment]
    # Submitted between 15 Dec 2024 and 31 Dec 2025, 08:30–18:00 Shanghai time; stored as UTC; sorted.
    day0 = np.datetime64("2024-12-15", "s")
    days = rng.integers(0, 382, n).astype("timedelta64[D]").astype("timedelta64[s]")
    secs = rng.integers(int(8.5 * 3600), 18 * 3600, n).astype("timedelta64[s]")
    submitted = np.sort(day0 + days + secs - np.timedelta64(8, "h"))
    dept_ix = rng.integers(0, len(depts), n)
    county = np.array([d["county"] for d in depts])[dept_ix]
    instant = rng.random(n) < 0.3
    u = rng.random(n)
    rejected = u < 0.02
    accepted = submitted + rng.integers(0, 240 * 60, n).astype("timedelta64[s]")
    pending = ~rejected & (
        ((u >= 0.02) & (u < 0.04) & (submitted >= NOW - np.timedelta64(10, "D"))) | (accepted >= NOW)
    )
    accepted_ok = ~(rejected | pending)
    handling = np.where(
        instant,
        rng.integers(0, 3600, n),
        rng.integers(0, 18, n) * 86400 + rng.integers(0, 8 * 3600, n),
    ).astype("timedelta64[s]")
    concluded = accepted + handling
    open_ = accepted_ok & ((concluded >= NOW) | (rng.random(n) < 0.005))
    concluded_ok = accepted_ok & ~open_
    promised = np.array([d["promised"][3] for d in depts])[dept_ix]
    statutory = np.array([d["promised"][2] for d in depts])[dept_ix]
    promised = np.where(instant, 0, promised)
    statutory = np.where(instant, 0, statutory)
    acc_day = (accepted + np.timedelta64(8, "h")).astype("datetime64[D]")
    due = add_workdays_array(acc_day, promised)
    warn = np.minimum(add_workdays_array(acc_day, np.maximum(promised - 2, 0)), due)
    channel = rng.choice(["window", "online", "mail", "self_service", "agent"], n, p=[0.6, 0.3, 0.03, 0.05, 0.02])
    visits = np.where(channel == "online", 0, rng.choice([0, 1, 1, 1, 2], n))
    on_site = concluded_ok & instant & (channel == "window")
    at_window = rng.random(n) < 0.6
    window_pick = rng.integers(0, WINDOWS, n)
    denied = rng.random(n) < 0.03
    # Evaluations of 60% of the concluded cases; a bad one (0.5%) opens a rectification, 80% of them closed.
    evaluated = concluded_ok & (rng.random(n) < 0.6)
    levels = rng.choice(
        ["very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied"],
        n,
        p=[0.7, 0.25, 0.045, 0.004, 0.001],
    )
    is_bad = np.isin(levels, ["dissatisfied", "very_dissatisfied"])
    closed_all = rng.random(n) < 0.8

    # The stored facts, as zhengwu.cases.work_facts computes them for a bulk write: one call per county setting.
    t0 = time.perf_counter()
    nat = np.datetime64("NaT", "s")
    acc_at = np.where(accepted_ok, accepted, nat)
    con_at = np.where(concluded_ok, concluded, nat)
    accept_wd = np.full(n, np.nan)
    conclude_wd = np.full(n, np.nan)
    for c in range(COUNTIES):
        rows = county == c
        facts = work_arrays(
            submitted[rows].astype("datetime64[us]"),
            acc_at[rows].astype("datetime64[us]"),
            con_at[rows].astype("datetime64[us]"),
            office_hours="08:30-12:00,14:00-17:30" if c == 6 else None,
            division_code=f"3399{c + 1:02d}",
        )
        accept_wd[rows], conclude_wd[rows] = facts["accept_workdays"], facts["conclude_workdays"]
    con_day = (concluded + np.timedelta64(8, "h")).astype("datetime64[D]")
    print(f"  stored facts of {n:,} cases computed (vectorised): {time.perf_counter() - t0:.1f} s", flush=True)

    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM cases_case")
        first_id = cur.fetchone()[0] + 1
    ids = np.arange(first_id, first_id + n)
    sub_s, acc_s, con_s = _stamp(submitted), _stamp(accepted), _stamp(concluded)
    due_s = np.datetime_as_string(due).tolist()
    warn_s = np.datetime_as_string(warn).tolist()
    acc_day_s, con_day_s = np.datetime_as_string(acc_day).tolist(), np.datetime_as_string(con_day).tolist()
    acc_wd_l, con_wd_l = accept_wd.tolist(), conclude_wd.tolist()
    dept_l, county_l = dept_ix.tolist(), county.tolist()
    inst_l, rej_l, pend_l, open_l = instant.tolist(), rejected.tolist(), pending.tolist(), open_.tolist()
    chan_l, visits_l, onsite_l = channel.tolist(), visits.tolist(), on_site.tolist()
    atw_l, wpick_l, denied_l = at_window.tolist(), window_pick.tolist(), denied.tolist()
    prom_l, stat_l = promised.tolist(), statutory.tolist()
    ev_l, level_l, rect_l = evaluated.tolist(), levels.tolist(), (is_bad & closed_all).tolist()
    N = "\\N"

    def number(value: float) -> str:
        return N if value != value else repr(value)

    def case_rows(lo: int, hi: int) -> str:
        out = []
        for i in range(lo, hi):
            d = depts[dept_l[i]]
            if inst_l[i]:
                item_id, version_id = d["instant"]
                mode = "instant"
            else:
                item_id, version_id = d["promised"][:2]
                mode = "promised"
            c = county_l[i]
            acc_on = con_on = acc_wd = con_wd = N
            if rej_l[i]:
                status, acc, rej, con, dec, stat, prom, due_on, warn_on = "rejected", N, acc_s[i], N, "", N, N, N, N
            elif pend_l[i]:
                status, acc, rej, con, dec, stat, prom, due_on, warn_on = "submitted", N, N, N, "", N, N, N, N
            else:
                status = "accepted" if open_l[i] else "concluded"
                acc, rej = acc_s[i], N
                con = N if open_l[i] else con_s[i]
                dec = "" if open_l[i] else ("denied" if denied_l[i] else "approved")
                stat, prom, due_on, warn_on = str(stat_l[i]), str(prom_l[i]), due_s[i], warn_s[i]
                acc_on, acc_wd = acc_day_s[i], number(acc_wd_l[i])
                if not open_l[i]:
                    con_on, con_wd = con_day_s[i], number(con_wd_l[i])
            window = str(windows[c][wpick_l[i]]) if atw_l[i] else N
            rated = ev_l[i]
            out.append(
                "\t".join(
                    (
                        str(ids[i]),
                        sub_s[i],
                        sub_s[i],
                        f"S{i:08d}",
                        f"Q{i:09d}",
                        status,
                        chan_l[i],
                        "person",
                        "申请人",
                        "",
                        "",
                        "",
                        sub_s[i],
                        acc,
                        rej,
                        con,
                        dec,
                        "",
                        "",
                        mode,
                        stat,
                        prom,
                        due_on,
                        warn_on,
                        str(visits_l[i]),
                        "t" if onsite_l[i] else "f",
                        "0",
                        str(centers[c]),
                        str(item_id),
                        str(version_id),
                        str(d["id"]),
                        window,
                        str(d["id"]),
                        acc_on,
                        con_on,
                        acc_wd,
                        con_wd,
                        level_l[i] if rated else "",
                        "t" if rated and rect_l[i] else "f",
                    )
                )
            )
        return "\n".join(out) + "\n"

    ev_cases = np.flatnonzero(evaluated)
    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM cases_evaluation")
        first_ev = cur.fetchone()[0] + 1
    bad = is_bad[ev_cases]
    closed = closed_all[ev_cases]
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cases_case' AND indexname NOT IN"
            " (SELECT conname FROM pg_constraint WHERE conrelid = 'cases_case'::regclass)"
        )
        secondary = cur.fetchall()
        # The generated rows reference only rows made above: skip the per-row foreign-key triggers of the load.
        cur.execute("SET LOCAL session_replication_role = replica")
        for name, _definition in secondary:
            cur.execute(f'DROP INDEX "{name}"')
        t0 = time.perf_counter()
        with cur.cursor.copy(f"COPY cases_case ({', '.join(CASE_COLUMNS)}) FROM STDIN") as copy:
            step = 100_000
            for lo in range(0, n, step):
                copy.write(case_rows(lo, min(n, lo + step)))
        print(f"  COPY {n:,} cases: {time.perf_counter() - t0:.0f} s", flush=True)
        buf = io.StringIO()
        for k, i in enumerate(ev_cases.tolist()):
            buf.write(f"{first_ev + k}\t{levels[i]}\tportal\t\t{con_s[i]}\t{ids[i]}\n")
        with cur.cursor.copy(
            "COPY cases_evaluation (id, level, channel, comment, submitted_at, case_id) FROM STDIN"
        ) as copy:
            copy.write(buf.getvalue())
        buf = io.StringIO()
        for k in np.flatnonzero(bad).tolist():
            i = int(ev_cases[k])
            opened = con_s[i][:10]
            closed_on = opened if closed[k] else N
            buf.write(
                f"{'closed' if closed[k] else 'open'}\t{opened}\t{opened}\t\\N\t\t\\N\t{closed_on}\t\t{con_s[i]}\t"
                f"{first_ev + k}\t{depts[dept_l[i]]['id']}\n"
            )
        with cur.cursor.copy(
            "COPY cases_rectification (status, opened_on, due_on, callback_at, callback_note, callback_satisfied,"
            " closed_on, summary, updated_at, evaluation_id, org_id) FROM STDIN"
        ) as copy:
            copy.write(buf.getvalue())
        t0 = time.perf_counter()
        for _name, definition in secondary:
            cur.execute(definition)
        print(f"  rebuilt {len(secondary)} indexes: {time.perf_counter() - t0:.0f} s", flush=True)
        for table in ("cases_case", "cases_evaluation"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        org_services.org_create(actor=None, code=LOADED, name="基准数据已载入", kind=OrgKind.OTHER)
    with connection.cursor() as cur:
        for table in ("cases_case", "cases_evaluation", "cases_rectification"):
            cur.execute(f"VACUUM ANALYZE {table}")
        cur.execute("ANALYZE")  # the orgs, items and windows made through the services too


HAND_SQL = """
SELECT
  count(*) FILTER (WHERE c.submitted_at >= %(s)s AND c.submitted_at < %(e)s) AS submitted,
  count(*) FILTER (WHERE c.accepted_at >= %(s)s AND c.accepted_at < %(e)s) AS accepted,
  count(*) FILTER (WHERE c.rejected_at >= %(s)s AND c.rejected_at < %(e)s) AS rejected,
  count(*) FILTER (WHERE c.concluded_at >= %(s)s AND c.concluded_at < %(e)s) AS concluded,
  count(*) FILTER (WHERE c.concluded_at >= %(s)s AND c.concluded_at < %(e)s AND c.decision = 'approved') AS approved,
  count(*) FILTER (WHERE c.concluded_at >= %(s)s AND c.concluded_at < %(e)s AND c.mode = 'instant') AS instant,
  count(*) FILTER (WHERE c.concluded_at >= %(s)s AND c.concluded_at < %(e)s AND c.concluded_on <= c.due_on) AS on_time,
  count(*) FILTER (WHERE c.concluded_at >= %(s)s AND c.concluded_at < %(e)s
                   AND c.concluded_on = c.accepted_on) AS same_day,
  count(*) FILTER (WHERE c.accepted_at < %(e)s AND (c.concluded_at IS NULL OR c.concluded_at >= %(e)s)
                   AND c.due_on < %(last)s) AS overdue_open,
  count(*) FILTER (WHERE c.concluded_at >= %(s)s AND c.concluded_at < %(e)s AND c.visits = 0) AS zero_visit,
  count(*) FILTER (WHERE c.submitted_at >= %(s)s AND c.submitted_at < %(e)s AND c.channel = 'online') AS online,
  count(*) FILTER (WHERE c.concluded_at >= %(s)s AND c.concluded_at < %(e)s AND c.evaluation_level <> '') AS evaluated,
  count(*) FILTER (WHERE c.concluded_at >= %(s)s AND c.concluded_at < %(e)s
                   AND c.evaluation_level IN ('dissatisfied', 'very_dissatisfied')) AS bad,
  count(*) FILTER (WHERE c.concluded_at >= %(s)s AND c.concluded_at < %(e)s
                   AND c.evaluation_level IN ('dissatisfied', 'very_dissatisfied') AND c.rectified) AS rectified,
  sum(c.promised_limit_days) FILTER (WHERE c.concluded_at >= %(s)s AND c.concluded_at < %(e)s
                                     AND c.statutory_limit_days > 0) AS promised,
  sum(c.accept_workdays) FILTER (WHERE c.accepted_at >= %(s)s AND c.accepted_at < %(e)s) AS accept_sum,
  count(c.accept_workdays) FILTER (WHERE c.accepted_at >= %(s)s AND c.accepted_at < %(e)s) AS accept_n,
  sum(c.conclude_workdays) FILTER (WHERE c.concluded_at >= %(s)s AND c.concluded_at < %(e)s) AS conclude_sum,
  count(c.conclude_workdays) FILTER (WHERE c.concluded_at >= %(s)s AND c.concluded_at < %(e)s) AS conclude_n
FROM cases_case c
JOIN orgs_org o ON o.id = c.org_id
WHERE o.path LIKE %(path)s
  AND (c.submitted_at >= %(s)s AND c.submitted_at < %(e)s OR c.accepted_at >= %(s)s AND c.accepted_at < %(e)s
       OR c.rejected_at >= %(s)s AND c.rejected_at < %(e)s OR c.concluded_at >= %(s)s AND c.concluded_at < %(e)s
       OR c.accepted_at < %(e)s AND (c.concluded_at IS NULL OR c.concluded_at >= %(e)s))
"""


def hand_written(org: Org, first: dt.date, last: dt.date) -> dict[str, object]:
    """The hand-written aggregate over the same rows and stored columns as the report: one row of figures."""
    from zhengwu.core.clock import SHANGHAI

    start = dt.datetime.combine(first, dt.time(), tzinfo=SHANGHAI)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)
    with transaction.atomic(), connection.cursor() as cur:
        for name, value in SESSION_SETTINGS.items():  # the same session settings as the report's query
            cur.execute("SELECT set_config(%s, %s, true)", [name, value])
        cur.execute(HAND_SQL, {"s": start, "e": end, "last": last, "path": org.path + "%"})
        names = [c[0] for c in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))


def check_same_figures(report: dict[str, object], hand: dict[str, object]) -> None:
    """The report's figures are the hand-written aggregate's (counts equal, rates and means as the spec rounds)."""
    m: dict[str, object] = report["metrics"]  # type: ignore[assignment]

    def rate(part: object, whole: object) -> float | None:
        return round(float(part) / float(whole), 6) if whole else None  # type: ignore[arg-type]

    def mean(total: object, n: object) -> float | None:
        return round(float(total or 0) / int(n), 4) if n else None  # type: ignore[arg-type, call-overload]

    expected = {
        "submitted": hand["submitted"],
        "accepted": hand["accepted"],
        "rejected": hand["rejected"],
        "concluded": hand["concluded"],
        "approved": hand["approved"],
        "instant_concluded": hand["instant"],
        "on_time_rate": rate(hand["on_time"], hand["concluded"]),
        "same_day_rate": rate(hand["same_day"], hand["concluded"]),
        "overdue_open": hand["overdue_open"],
        "zero_visit_rate": rate(hand["zero_visit"], hand["concluded"]),
        "online_applied_rate": rate(hand["online"], hand["submitted"]),
        "evaluation_rate": rate(hand["evaluated"], hand["concluded"]),
        "bad_reviews": hand["bad"],
        "bad_review_rectified_rate": rate(hand["rectified"], hand["bad"]),
        "avg_accept_workdays": mean(hand["accept_sum"], hand["accept_n"]),
        "avg_conclude_workdays": mean(hand["conclude_sum"], hand["conclude_n"]),
    }
    wrong = {k: (m[k], v) for k, v in expected.items() if m[k] != v}
    assert not wrong, f"report ≠ hand-written SQL: {wrong}"
    print(f"  the report's figures equal the hand-written aggregate's ({len(expected)} compared)", flush=True)


def check_sql_path(city: Org) -> None:
    """The stored working time against the SQL recompute path (zhengwu.cases.work_facts.recompute's W), read only."""
    from zhengwu.cases.work_facts import WorkingTimeSql, org_settings

    q = WorkingTimeSql()
    settings = org_settings(Org.objects.filter(path__startswith=city.path))
    acc = q.between("c.submitted_at", "c.accepted_at", settings, "c.org_id")
    con = q.between("c.accepted_at", "c.concluded_at", settings, "c.org_id")
    sql = (
        f"SELECT count(*), count(*) FILTER (WHERE abs(c.accept_workdays - {acc}) > 1e-9"
        f" OR (c.accept_workdays IS NULL) <> ({acc} IS NULL)"
        f" OR abs(c.conclude_workdays - {con}) > 1e-9 OR (c.conclude_workdays IS NULL) <> ({con} IS NULL)"
        " OR c.accepted_on <> (c.accepted_at AT TIME ZONE 'Asia/Shanghai')::date"
        " OR c.concluded_on <> (c.concluded_at AT TIME ZONE 'Asia/Shanghai')::date)"
        " FROM cases_case c JOIN orgs_org o ON o.id = c.org_id WHERE o.path LIKE %s AND c.accepted_at IS NOT NULL"
    )
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT set_config('jit', 'off', true)")
        cur.execute(sql, [city.path + "%"])
        total, differ = cur.fetchone()
    print(
        f"  SQL path (W in the database) over {total:,} accepted cases: {differ} differ from the stored values"
        f" by more than 1e-9 workday ({time.perf_counter() - t0:.1f} s)",
        flush=True,
    )
    assert differ == 0


def cleanup() -> None:
    with transaction.atomic(), connection.cursor() as cur:
        orgs = "SELECT id FROM orgs_org WHERE code LIKE %s"
        cur.execute(
            "DELETE FROM cases_rectification WHERE evaluation_id IN (SELECT e.id FROM cases_evaluation e JOIN"
            f" cases_case c ON c.id = e.case_id WHERE c.org_id IN ({orgs}))",
            [PREFIX + "%"],
        )
        cur.execute(
            f"DELETE FROM cases_evaluation WHERE case_id IN (SELECT id FROM cases_case WHERE org_id IN ({orgs}))",
            [PREFIX + "%"],
        )
        cur.execute(f"DELETE FROM cases_case WHERE org_id IN ({orgs})", [PREFIX + "%"])
        cur.execute("DELETE FROM orgs_org WHERE code = %s", [LOADED])
    print("deleted the generated cases (the orgs and items stay; drop the database to remove them)")


def timed(org: Org, first: dt.date, last: dt.date, repeat: int) -> tuple[list[float], list[float]]:
    """The report and the hand-written aggregate, alternating, after checking that their figures agree."""
    report = compute_service_metrics(org=org, date_from=first, date_to=last, scope="subtree")  # warm
    check_same_figures(report, hand_written(org, first, last))
    m: dict[str, object] = report["metrics"]
    print(
        f"  concluded {m['concluded']:,}, submitted {m['submitted']:,}, on_time_rate {m['on_time_rate']}, "
        f"avg_conclude_workdays {m['avg_conclude_workdays']}, avg_accept_workdays {m['avg_accept_workdays']}",
        flush=True,
    )
    ours: list[float] = []
    hand: list[float] = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        compute_service_metrics(org=org, date_from=first, date_to=last, scope="subtree")
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        hand_written(org, first, last)
        hand.append(time.perf_counter() - t0)
    p50, p50h = statistics.median(ours), statistics.median(hand)
    print(f"  zhengwu report service: p50 {p50:.2f} s  max {max(ours):.2f} s  ({repeat} runs)")
    print(f"  hand-written SQL:       p50 {p50h:.2f} s  max {max(hand):.2f} s   ratio of p50s {p50 / p50h:.2f}×")
    return ours, hand


def small_reports(city: Org, repeat: int) -> None:
    """One county's year and the city's September: reports that touch about an eighth of the year's rows."""
    county = Org.objects.get(code=f"{PREFIX}c0")
    for name, (org, first, last) in {
        "one county, 2025, subtree": (county, FIRST, LAST),
        "the city, September 2025, subtree": (city, dt.date(2025, 9, 1), dt.date(2025, 9, 30)),
    }.items():
        print(name, flush=True)
        timed(org, first, last, repeat)
    print(f"load average after: {Path('/proc/loadavg').read_text().strip()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=3_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="0: only build the data")
    parser.add_argument("--keep", action="store_true", help="keep the cases for the next run")
    parser.add_argument("--check-sql", action="store_true", help="also compare the stored facts with the SQL path")
    parser.add_argument(
        "--small",
        action="store_true",
        help="instead: time one county's 2025 and the city's September 2025 (--repeat runs each, alternating)",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("this benchmark needs PostgreSQL (ZHENGWU_DATABASE_URL)")
    city = Org.objects.filter(code=PREFIX + "city").first()
    if not Org.objects.filter(code=LOADED).exists():
        t0 = time.perf_counter()
        if city is None:
            world = build_orgs()
        else:
            sys.exit("a partial load is in the database: drop and recreate it")
        load_cases(world, args.cases)
        city = world["city"]  # type: ignore[assignment]
        print(f"built {args.cases:,} cases in {time.perf_counter() - t0:.0f} s", flush=True)
    assert city is not None
    if args.repeat == 0:
        return
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM cases_case c JOIN orgs_org o ON o.id = c.org_id WHERE o.path LIKE %s",
            [city.path + "%"],
        )
        total = cur.fetchone()[0]
    print(
        f"database: {connection.vendor}, cases of the city: {total:,}, load average: {Path('/proc/loadavg').read_text().strip()}"
    )

    if args.small:
        small_reports(city, args.repeat)
        if not args.keep:
            cleanup()
        return

    print("city, 2025, subtree", flush=True)
    if args.check_sql:
        check_sql_path(city)
    timed(city, FIRST, LAST, args.repeat)
    print(f"load average after: {Path('/proc/loadavg').read_text().strip()}")
    if not args.keep:
        cleanup()


if __name__ == "__main__":
    main()
