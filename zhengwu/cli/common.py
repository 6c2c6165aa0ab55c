"""What every verb shares: the acting staff member, error handling with exit codes, JSON output, progress."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click
from tqdm import tqdm

from zhengwu.core.errors import ApplicationError, PermissionDenied

if TYPE_CHECKING:
    from zhengwu.orgs.models import Staff

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT = 0, 1, 2


class BadInput(click.ClickException):
    """Bad input found by the CLI itself (a file's line and column, say): exit 2."""

    exit_code = EXIT_BAD_INPUT

    def show(self, file: Any = None) -> None:
        click.echo(f"错误: {self.message}", err=True)


@dataclass
class CliContext:
    as_user: str | None = None
    _actor: Staff | None = field(default=None, repr=False)
    _resolved: bool = False

    @property
    def actor(self) -> Staff | None:
        """The staff member named by --as (checked by the policies like any web user), or None: the operator."""
        if not self._resolved:
            if self.as_user:
                from zhengwu.orgs.models import Staff

                staff = Staff.objects.filter(username=self.as_user, is_active=True).first()
                if staff is None:
                    raise BadInput(f"--as: 没有这个在职工作人员：{self.as_user}")
                self._actor = staff
            self._resolved = True
        return self._actor


def actor_of(ctx: click.Context) -> Staff | None:
    obj: CliContext = ctx.find_root().obj
    return obj.actor


def require_operator(ctx: click.Context) -> None:
    """Platform-wide verbs (init, serve, demo, worker, audit verify) are for the platform operator only."""
    actor = actor_of(ctx)
    if actor is not None and not actor.is_superuser:
        raise PermissionDenied("只有平台管理员可以执行该命令。", detail={"permission": "platform.operate"})


def operator_only(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a click command callback so that `--as` a county's staff member is refused before it runs."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        require_operator(click.get_current_context())
        return fn(*args, **kwargs)

    return wrapper


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@contextmanager
def progress(total: int | None, desc: str) -> Iterator[tqdm]:
    """A progress bar on a terminal's standard error; silent when stderr is not a terminal."""
    bar = tqdm(total=total, desc=desc, file=sys.stderr, disable=not sys.stderr.isatty(), unit="")
    try:
        yield bar
    finally:
        bar.close()


def run(group: click.Group, args: list[str]) -> int:
    """Run the CLI and translate every failure into the documented exit status."""
    try:
        # Outside standalone mode click returns an Exit's status instead of raising it.
        status = group.main(args=args, prog_name="zhengwu", standalone_mode=False)
    except ApplicationError as exc:
        click.echo(f"错误: {exc.message}", err=True)
        return EXIT_BAD_INPUT
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.Abort:
        click.echo("已中止。", err=True)
        return EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("已中止。", err=True)
        return EXIT_ERROR
    except Exception as exc:  # the last line of defence: a message, never a traceback
        click.echo(f"内部错误: {type(exc).__name__}: {exc}", err=True)
        return EXIT_ERROR
    return status if isinstance(status, int) else EXIT_OK
