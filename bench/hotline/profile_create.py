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
import os
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
    os.environ.setdefault("ZHENGWU_API_USER_RATE", "100000/min")  # as run.py gives its operator
    from run import setup  # the bench's own setup (django.setup, migrate, org, operator, token)

    org, token = setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    handler = WSGIHandler()  # what gunicorn calls: no test client in between
    n = iter(range(10**9))
    run = time.time_ns()

    def post() -> None:
        body = json.dumps(
            {
                "org": org,
                "channel": "app",
                "kind": "complaint",
                "content": f"路灯不亮 [profile-{run}-{next(n)}]",
                "caller_phone": f"139{(run // 1000 + next(n)) % 10**8:08d}",  # new callers each run
            },
            ensure_ascii=False,
        ).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/api/v1/hotline/tickets/",
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8731",
            "HTTP_HOST": "127.0.0.1:8731",
            "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_AUTHORIZATION": f"Token {token}",
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        statuses: list[str] = []
        chunks = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(chunks)
        getattr(chunks, "close", lambda: None)()
        assert statuses[0].startswith("201"), (statuses, chunks)

    post()
    with CaptureQueriesContext(connection) as ctx:
        post()
    print(f"queries of one warm creation: {len(ctx.captured_queries)}")
    for q in ctx.captured_queries:
        print(f"  {q['time']:>6}s  {q['sql'][:220]}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()

    def backend_cpu() -> float:
        """The database backend's CPU seconds so far (it runs on this machine: /proc)."""
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    db_cpu_started = backend_cpu()
    started, cpu_started = time.perf_counter(), time.process_time()
    profiler = cProfile.Profile(time.process_time) if args.profile else None  # CPU time, not waits
    if profiler:
        profiler.enable()
    for _ in range(args.requests):
        post()
    if profiler:
        profiler.disable()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    db_cpu = backend_cpu() - db_cpu_started
    print(
        f"{args.requests} creations: {elapsed / args.requests * 1000:.2f} ms each wall, "
        f"{cpu / args.requests * 1000:.2f} ms of this process's CPU (in-process, one client), "
        f"{db_cpu / args.requests * 1000:.2f} ms of its PostgreSQL backend's"
    )
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(70)
        stats.sort_stats("tottime").print_stats(40)
        print(out.getvalue())


if __name__ == "__main__":
    main()
