"""`zhengwu init | serve | demo | worker`: set up, fill and run the platform."""

from __future__ import annotations

import os
import sys

import click
from django.conf import settings
from django.core.management import call_command

from zhengwu.cli.common import emit_json, operator_only


def init_database(*, verbose: bool = True) -> None:
    """Create or migrate the database and its cache table; safe to run any number of times."""
    from zhengwu.workdays.seed import calendar_seed

    call_command("migrate", interactive=False, verbosity=1 if verbose else 0)
    call_command("createcachetable", verbosity=0)
    calendar_seed()


@click.command("init")
@operator_only
def init_cmd() -> None:
    """Create or migrate the database (safe to run again)."""
    init_database()
    db = settings.DATABASES["default"]
    click.echo(f"数据库已就绪：{db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}", err=True)


def _serve(host: str, port: int, workers: int) -> None:
    """Serve with gunicorn (the production server), static files by WhiteNoise."""
    bind = f"{host}:{port}"
    click.echo(f"zhengwu 正在 http://{bind}/ 提供服务（Ctrl+C 停止）", err=True)
    args = [
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--timeout",
        "120",
    ]
    os.execvp(sys.executable, [sys.executable, "-m", *args])  # noqa: S606 — our own server, fixed arguments


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@operator_only
def serve_cmd(host: str, port: int, workers: int) -> None:
    """Serve what is in the database."""
    _serve(host, port, workers)


@click.command("demo")
@click.option("--no-serve", is_flag=True, help="Build the demo county and stop.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@operator_only
def demo_cmd(no_serve: bool, host: str, port: int) -> None:
    """Build the demo county (once; again is harmless) and serve it."""
    from zhengwu.demo import DEMO_PASSWORD, build_demo_county

    init_database(verbose=False)
    summary = build_demo_county()
    emit_json(summary)
    click.echo(
        f"演示县已就绪。员工账号见上（用户名），演示密码均为：{DEMO_PASSWORD}  平台管理员：admin / {DEMO_PASSWORD}",
        err=True,
    )
    if not no_serve:
        _serve(host, port, 2)


@click.command("worker")
@click.option("--batch", is_flag=True, help="Run every task already queued, then exit (for a timer or a test).")
@click.option("--queue", "queue_name", default="default", show_default=True, help="Queue to take tasks from.")
@click.option("--max-tasks", type=click.IntRange(1), default=None, help="Exit after this many tasks.")
@operator_only
def worker_cmd(batch: bool, queue_name: str, max_tasks: int | None) -> None:
    """Run background tasks from the database queue (needs ZHENGWU_TASKS_BACKEND=database)."""
    from zhengwu.core.errors import ApplicationError

    backend = settings.TASKS["default"]["BACKEND"]
    if backend != "django_tasks_db.DatabaseBackend":
        # With the immediate backend tasks already run inside the web process; a worker would wait forever.
        raise ApplicationError(
            f"后台任务未配置为数据库队列（当前：{backend}）：请设置 ZHENGWU_TASKS_BACKEND=database 后再启动 worker。",
            code="tasks_backend_not_database",
        )
    args = ["--queue-name", queue_name]
    if batch:
        args.append("--batch")
    if max_tasks is not None:
        args += ["--max-tasks", str(max_tasks)]
    call_command("db_worker", *args)


def register(cli: click.Group) -> None:
    for cmd in (init_cmd, serve_cmd, demo_cmd, worker_cmd):
        cli.add_command(cmd)
