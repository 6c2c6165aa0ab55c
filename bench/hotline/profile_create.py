"""One ticket creation through the API, taken apart: the queries it runs and where its CPU goes.

    ZHENGWU_DATABASE_URL=postgres://postgres@127.0.0.1:5432/zw_bench_hotline \
        uv run --no-sync python bench/hotline/profile_create.py [--profile N]

Uses the same org, operator and token as run.py (made on first use). Prints each query of one warm request
(the first request of a process fills caches and is not representative), then the mean wall time of N requests
and, with --profile, the top of a cProfile of them.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    from run import setup  # the bench's own setup (django.setup, migrate, org, operator, token)

    org, token = setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="127.0.0.1")
    n = iter(range(10**9))

    def post() -> None:
        body = {
            "org": org,
            "channel": "app",
            "kind": "complaint",
            "content": f"路灯不亮 [profile-{time.time_ns()}-{next(n)}]",
            "caller_phone": f"139{next(n):08d}",
        }
        r = client.post("/api/v1/hotline/tickets/", data=json.dumps(body), content_type="application/json")
        assert r.status_code == 201, (r.status_code, r.content[:500])

    post()
    with CaptureQueriesContext(connection) as ctx:
        post()
    print(f"queries of one warm creation: {len(ctx.captured_queries)}")
    for q in ctx.captured_queries:
        print(f"  {q['time']:>6}s  {q['sql'][:220]}")
    started = time.perf_counter()
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    for _ in range(args.requests):
        post()
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    print(f"{args.requests} creations: {elapsed / args.requests * 1000:.2f} ms each (wall, in-process, one client)")
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(30)
        print(out.getvalue())


if __name__ == "__main__":
    main()
