"""Hotline intake under load: POST /api/v1/hotline/tickets/ at a fixed rate against gunicorn on PostgreSQL.

It needs a scratch database of its own (the tickets and audit events it makes stay there: drop the database after).
Open loop: request i is due at start + i/rate and its latency is counted from that moment, so a slow server cannot
hide its queueing (no coordinated omission). Prints achieved rate, errors and latency percentiles as JSON.

    createdb zw_hotline_bench
    ZHENGWU_DATABASE_URL=postgres://postgres@127.0.0.1:5432/zw_hotline_bench ZHENGWU_REDIS_URL=redis://127.0.0.1:6379/9 \
        uv run python bench/hotline/run.py --rate 200 --seconds 60 --workers 4
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
CONTENTS = ["{p}路灯不亮", "{p}噪音扰民到深夜", "{p}小区电梯停运", "{p}有商户占道经营", "{p}下水道堵塞污水外溢"]
PLACES = ["城关镇岚山大道", "青溪镇老街", "岚桥镇中心小学", "白沙镇滨河路"]


def setup() -> tuple[str, str]:
    """A county, one operator and a token, made through the services; returns (org code, token)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from rest_framework.authtoken.models import Token

    from zhengwu.orgs.models import Org, Role, Scope
    from zhengwu.orgs.tests.factories import make_county, make_staff

    existing = Org.objects.filter(code="bench-hotline").first()
    if existing is None:
        county = make_county("压测县")
        gov = county["gov"]
        Org.objects.filter(pk=gov.pk).update(code="bench-hotline")
        staff = make_staff(org=gov, role=Role.HOTLINE_OPERATOR, scope=Scope.SELF, username="bench_operator")
    else:
        from zhengwu.orgs.models import Staff

        staff = Staff.objects.get(username="bench_operator")
    token, _ = Token.objects.get_or_create(user=staff)
    return "bench-hotline", token.key


def load(*, host: str, port: int, org: str, token: str, rate: float, seconds: float, threads: int) -> dict:
    total = int(rate * seconds)
    due: queue.Queue[tuple[int, float] | None] = queue.Queue()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    rng = random.Random(1)
    bodies = [
        json.dumps(
            {
                "org": org,
                "channel": "app",
                "kind": "complaint",
                "content": rng.choice(CONTENTS).format(p=rng.choice(PLACES)),
                "caller_phone": f"13{rng.randrange(10**8, 10**9)}",
            },
            ensure_ascii=False,
        ).encode()
        for _ in range(1000)
    ]
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}

    def worker() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        while (item := due.get()) is not None:
            i, at = item
            wait = at - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            try:
                conn.request("POST", "/api/v1/hotline/tickets/", body=bodies[i % len(bodies)], headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                status = type(exc).__name__
            elapsed = time.perf_counter() - at
            with lock:
                latencies.append(elapsed)
                if status != 201:
                    errors[str(status)] = errors.get(str(status), 0) + 1

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for t in pool:
        t.start()
    start = time.perf_counter() + 0.5
    for i in range(total):
        due.put((i, start + i / rate))
    for _ in pool:
        due.put(None)
    for t in pool:
        t.join()
    wall = time.perf_counter() - start
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1)

    return {
        "requests": total,
        "seconds": round(wall, 1),
        "achieved_rate": round(total / wall, 1),
        "errors": errors,
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "max_ms": round(latencies[-1] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=64, help="client threads")
    parser.add_argument("--port", type=int, default=8731)
    args = parser.parse_args()
    org, token = setup()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "ZHENGWU_API_USER_RATE": "1000000/min"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-b",
            f"127.0.0.1:{args.port}",
            "-w",
            str(args.workers),
            "--threads",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request("GET", "/")
                break
            except OSError:
                time.sleep(0.2)
        load(host="127.0.0.1", port=args.port, org=org, token=token, rate=20, seconds=3, threads=8)  # warm up
        result = load(
            host="127.0.0.1",
            port=args.port,
            org=org,
            token=token,
            rate=args.rate,
            seconds=args.seconds,
            threads=args.threads,
        )
    finally:
        server.terminate()
        server.wait(10)
    result.update({"rate_asked": args.rate, "gunicorn_workers": args.workers, "cpus": os.cpu_count()})
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
