"""Hotline intake under load: POST /api/v1/hotline/tickets/ at a fixed rate against gunicorn on PostgreSQL, then check
that every acknowledged ticket exists exactly once.

It needs a scratch database of its own (the tickets and audit events it makes stay there: drop the database after).
Open loop: request i is due at start + i/rate and its latency is counted from that moment, so a slow server cannot
hide its queueing (no coordinated omission). The load generator is one asyncio loop writing HTTP/1.1 by hand over
keep-alive connections (no client library, ~0.1 ms of CPU a request), because it shares the machine's cores with the
server and the database.

Every request carries a marker unique to this run and request in its text (`[bench <run> <i>]`). After the run the
bench reads the run's tickets back and fails (exit 1) unless every acknowledged request (201) names a ticket that
exists, carries that request's marker and is the only ticket with it; tickets whose request was not acknowledged
(a timeout) are counted and reported. It also checks that each ticket has exactly one `ticket.create` audit event
and that the audit chain verifies.

    createdb -h 127.0.0.1 -U postgres zw_bench_hotline
    ZHENGWU_DATABASE_URL=postgres://postgres@127.0.0.1:5432/zw_bench_hotline ZHENGWU_REDIS_URL=redis://127.0.0.1:6379/9 \\
        flock /tmp/zw-bench.lock uv run --no-sync python bench/hotline/run.py --rate 200 --seconds 60

Defaults: gunicorn with 6 sync workers (as docs/deploy.md runs it, behind nginx), one connection per request (what nginx
does towards gunicorn unless told to keep upstream connections alive), 8 audit chains, at most 64 requests in flight,
30 s request timeout. The JSON it prints carries the load average before and after and the load generator's own CPU
seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
CONTENTS = ["{p}路灯不亮", "{p}噪音扰民到深夜", "{p}小区电梯停运", "{p}有商户占道经营", "{p}下水道堵塞污水外溢"]
PLACES = ["城关镇岚山大道", "青溪镇老街", "岚桥镇中心小学", "白沙镇滨河路"]
PATH = "/api/v1/hotline/tickets/"
MARKER = re.compile(r"\[bench (\w+) (\d+)\]")


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


def bodies(*, org: str, run: str, total: int) -> list[bytes]:
    """Callers drawn at random per run: a run does not find the previous runs' tickets as the same caller's
    (each creation looks up the caller's tickets of the last 30 days)."""
    rng = random.Random(run)
    return [
        json.dumps(
            {
                "org": org,
                "channel": "app",
                "kind": "complaint",
                "content": rng.choice(CONTENTS).format(p=rng.choice(PLACES)) + f" [bench {run} {i}]",
                "caller_phone": f"13{rng.randrange(10**8, 10**9)}",
            },
            ensure_ascii=False,
        ).encode()
        for i in range(total)
    ]


class Connection:
    """One keep-alive HTTP/1.1 connection (reopened when the server closes it, as gunicorn's sync workers do)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, head: bytes, body: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(head + str(len(body)).encode() + b"\r\n\r\n" + body)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("closed before the status line")
        status = int(status_line.split()[1])
        length, close = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
        payload = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def load(
    *,
    host: str,
    port: int,
    token: str,
    payloads: list[bytes],
    rate: float,
    connections: int,
    timeout: float,
    keep_alive: bool = True,
) -> dict:
    """Send `payloads` at `rate`/s, at most `connections` at once; returns latencies and the acknowledged ids."""
    head = (
        f"POST {PATH} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Token {token}\r\n"
        f"Content-Type: application/json\r\nConnection: {'keep-alive' if keep_alive else 'close'}\r\nContent-Length: "
    ).encode()
    idle: list[Connection] = [Connection(host, port) for _ in range(connections)]
    free = asyncio.Semaphore(connections)
    latencies: list[float] = []
    acknowledged: dict[int, int] = {}  # request index → ticket id
    errors: Counter[str] = Counter()
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.2

    async def one(i: int, due: float) -> None:
        async with free:
            conn = idle.pop()
            try:
                status, payload = await asyncio.wait_for(conn.post(head, payloads[i]), timeout)
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError, IndexError) as exc:
                conn.close()
                status, payload = 0, type(exc).__name__.encode()
            finally:
                idle.append(conn)
        latencies.append(loop.time() - due)
        if status == 201:
            acknowledged[i] = json.loads(payload)["id"]
        else:
            errors[str(status or payload.decode())] += 1

    tasks = []
    for i in range(len(payloads)):
        due = start + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, due)))
    await asyncio.gather(*tasks)
    wall = loop.time() - start
    for conn in idle:
        conn.close()
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1)

    return {
        "requests": len(payloads),
        "seconds": round(wall, 1),
        "completed_rate": round(len(payloads) / wall, 1),
        "acknowledged": len(acknowledged),
        "errors": dict(errors),
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "max_ms": round(latencies[-1] * 1000, 1),
        "_acknowledged": acknowledged,
    }


def verify(*, org: str, run: str, sent: int, acknowledged: dict[int, int]) -> dict:
    """Every acknowledged request's ticket exists once with its marker; no marker twice; one audit event each."""
    from django.db.models import Count

    from zhengwu.core.audit import verify_chain
    from zhengwu.core.models import AuditEvent
    from zhengwu.hotline.models import Ticket

    rows = Ticket.objects.filter(org__code=org, content__contains=f"[bench {run} ").values_list("id", "content")
    by_marker: dict[int, list[int]] = {}
    for ticket_id, content in rows:
        m = MARKER.search(content)
        if m and m.group(1) == run:
            by_marker.setdefault(int(m.group(2)), []).append(ticket_id)
    duplicated = sorted(i for i, ids in by_marker.items() if len(ids) > 1)
    missing = sorted(i for i, ticket_id in acknowledged.items() if by_marker.get(i) != [ticket_id])
    unacknowledged = sorted(set(by_marker) - set(acknowledged))
    created = [tid for ids in by_marker.values() for tid in ids]
    events = Counter(
        dict(
            AuditEvent.objects.filter(
                action="ticket.create", object_type="hotline.ticket", object_id__in=[str(t) for t in created]
            )
            .values_list("object_id")
            .annotate(n=Count("id"))
            .values_list("object_id", "n")
        )
    )
    not_audited_once = sorted(t for t in created if events.get(str(t), 0) != 1)
    checked, broken = verify_chain()
    return {
        "requests_sent": sent,
        "tickets_found": len(created),
        "acknowledged_missing_or_wrong": len(missing),
        "markers_duplicated": len(duplicated),
        "created_but_not_acknowledged": len(unacknowledged),
        "tickets_without_exactly_one_create_event": len(not_audited_once),
        "audit_chain_events_checked": checked,
        "audit_chain_broken": None if broken is None else f"{broken.event_id}: {broken.reason}",
        "ok": not missing and not duplicated and not not_audited_once and broken is None,
        "examples": {"missing": missing[:5], "duplicated": duplicated[:5], "not_audited_once": not_audited_once[:5]},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    # Six sync workers kept up with 200/s where 4 did not (each request holds its worker for its database round
    # trips) and gthread's threads queued behind their process's GIL while cores idled (docs/PERFORMANCE.md).
    parser.add_argument("--workers", type=int, default=6, help="gunicorn worker processes")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--connections", type=int, default=64, help="client connections (requests in flight)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds before a request counts as failed")
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--no-verify-chain", action="store_true")
    parser.add_argument(
        "--keep-alive",
        action="store_true",
        help="reuse connections (by default one connection per request, as nginx in front of gunicorn does: "
        "kept-alive connections stay with the worker process that accepted them)",
    )
    args = parser.parse_args()
    org, token = setup()
    run = uuid.uuid4().hex[:10]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        # The bench's operator is an integration posting for a whole city: a budget above what the run sends.
        "ZHENGWU_API_USER_RATE": os.environ.get("ZHENGWU_API_USER_RATE", "100000/min"),
        # One PostgreSQL connection per worker thread, kept for the whole run (psycopg's, reused by Django).
        "ZHENGWU_CONN_MAX_AGE": os.environ.get("ZHENGWU_CONN_MAX_AGE", "600"),
        # One audit chain per worker thread's head row (ADR 0003): the single head row's lock was a queue.
        "ZHENGWU_AUDIT_CHAINS": os.environ.get("ZHENGWU_AUDIT_CHAINS", "8"),
    }
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{args.port}"]
    command += ["-w", str(args.workers), "-k", args.worker_class, "--threads", str(args.threads)]
    command += ["--keep-alive", "30", "--backlog", "2048", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    warm = bodies(org=org, run=run + "w", total=int(min(args.rate, 50) * 3))
    payloads = bodies(org=org, run=run, total=int(args.rate * args.seconds))
    loadavg_before = Path("/proc/loadavg").read_text().split()[:3]
    try:
        for _ in range(150):
            try:
                asyncio.run(asyncio.wait_for(asyncio.open_connection("127.0.0.1", args.port), 1))
                break
            except OSError:
                time.sleep(0.2)
        common = {
            "host": "127.0.0.1",
            "port": args.port,
            "token": token,
            "timeout": args.timeout,
            "keep_alive": args.keep_alive,
        }
        asyncio.run(load(payloads=warm, rate=min(args.rate, 50), connections=args.connections, **common))
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        result = asyncio.run(load(payloads=payloads, rate=args.rate, connections=args.connections, **common))
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        loadavg_after = Path("/proc/loadavg").read_text().split()[:3]
    finally:
        server.terminate()
        server.wait(20)
    acknowledged = result.pop("_acknowledged")
    generator_cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    result.update(
        {
            "rate_asked": args.rate,
            "gunicorn": f"{args.workers} × {args.worker_class}"
            + (f", {args.threads} thread(s)" if args.worker_class == "gthread" else ""),
            "connections": args.connections,
            "keep_alive": args.keep_alive,
            "cpus": os.cpu_count(),
            "load_generator_cpu_s": round(generator_cpu, 1),
            "loadavg_before": " ".join(loadavg_before),
            "loadavg_after": " ".join(loadavg_after),
        }
    )
    if args.no_verify_chain:
        import zhengwu.core.audit as audit

        audit.verify_chain = lambda **kw: (0, None)  # type: ignore[assignment]
    result["verification"] = verify(org=org, run=run, sent=len(payloads), acknowledged=acknowledged)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if not result["verification"]["ok"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
