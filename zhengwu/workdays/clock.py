"""The one time-limit value every domain uses: start, limit, pauses, restarts, extensions → due date, state, reasons."""

from __future__ import annotations

import datetime as dt
import enum
import math
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from zhengwu.core import clock as core_clock
from zhengwu.core.errors import InvalidInput
from zhengwu.workdays import counting
from zhengwu.workdays import index as ix


class ClockState(enum.StrEnum):
    ON_TIME = "on_time"
    WARNING = "warning"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return {"on_time": _("正常"), "warning": _("预警"), "overdue": _("超时")}[self.value]


@dataclass(frozen=True)
class Pause:
    """The workdays of (start, end] do not count (third-party consultation, special procedure, awaiting a fee…)."""

    start: dt.date
    end: dt.date
    reason: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInput(
                _("暂停的结束日 %(end)s 早于开始日 %(start)s。") % {"end": self.end, "start": self.start},
                detail={"pauses": ["order"]},
            )


@dataclass(frozen=True)
class Restart:
    """The clock counts again in full from this event day (e.g. the day a clarified request is received)."""

    on: dt.date
    reason: str = ""


@dataclass(frozen=True)
class Extension:
    """A granted lengthening by `workdays`; one granted before a restart lapses with it."""

    workdays: int
    granted_on: dt.date | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if type(self.workdays) is not int or self.workdays < 0:
            raise InvalidInput(_("延期的工作日数必须是非负整数。"), detail={"extensions": ["invalid"]})


@dataclass(frozen=True)
class SkippedDays:
    """A run of consecutive rest days, all for one reason, that the count passed over."""

    first: dt.date
    last: dt.date
    reason: str  # "weekend" | index.HOLIDAY | index.PROVISIONAL_HOLIDAY | index.LOCAL
    name: str

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class Explanation:
    """Why the due date is what it is, day by day: what an official shows an applicant or a court."""

    start: dt.date
    limit: int
    calendar_days: bool
    due_on: dt.date
    provisional: bool
    provisional_years: tuple[int, ...]
    restart: Restart | None
    skipped: tuple[SkippedDays, ...]
    makeup_days: tuple[tuple[dt.date, str], ...]
    pauses: tuple[tuple[Pause, int], ...]
    extensions: tuple[Extension, ...]
    counted_workdays: int
    rolled_from: dt.date | None = None  # calendar-day mode: the nominal last day, a rest day

    def lines(self) -> list[str]:
        out: list[str] = []
        unit = _("日") if self.calendar_days else _("个工作日")
        if self.restart is not None:
            out.append(
                _("重新起算：自 %(day)s 起重新计算（%(reason)s）。")
                % {"day": self.restart.on.isoformat(), "reason": self.restart.reason or _("未注明原因")}
            )
        out.append(
            _("起算日：%(day)s（当日不计入），时限 %(n)s %(unit)s。")
            % {"day": self.start.isoformat(), "n": self.limit, "unit": unit}
        )
        days: list[tuple[dt.date, str]] = []
        for run in self.skipped:
            span = (
                run.first.isoformat()
                if run.first == run.last
                else _("%(a)s 至 %(b)s") % {"a": run.first.isoformat(), "b": run.last.isoformat()}
            )
            days.append(
                (
                    run.first,
                    _("不计：%(span)s %(why)s（%(days)s 天）")
                    % {"span": span, "why": _reason_text(run), "days": run.days},
                )
            )
        for day, name in self.makeup_days:
            days.append(
                (
                    day,
                    _("计入：%(day)s（%(weekday)s）%(name)s调休上班日")
                    % {"day": day.isoformat(), "weekday": _weekday(day), "name": name},
                )
            )
        out.extend(line for _day, line in sorted(days))
        for pause, workdays in self.pauses:
            out.append(
                _("暂停：%(a)s 至 %(b)s（%(reason)s），其间 %(n)s 个工作日不计入，期限相应顺延。")
                % {
                    "a": pause.start.isoformat(),
                    "b": pause.end.isoformat(),
                    "reason": pause.reason or _("未注明原因"),
                    "n": workdays,
                }
            )
        for ext in self.extensions:
            granted = _("，%(day)s 批准") % {"day": ext.granted_on.isoformat()} if ext.granted_on is not None else ""
            out.append(
                _("延期：%(n)s 个工作日（%(reason)s%(granted)s）。")
                % {"n": ext.workdays, "reason": ext.reason or _("未注明原因"), "granted": granted}
            )
        if self.rolled_from is not None:
            out.append(_("期满日 %(day)s 为休息日，顺延至其后第一个工作日。") % {"day": self.rolled_from.isoformat()})
        if not self.calendar_days:
            out.append(
                _("合计：%(a)s 之后至 %(b)s 共 %(n)s 个工作日。")
                % {"a": self.start.isoformat(), "b": self.due_on.isoformat(), "n": self.counted_workdays}
            )
        out.append(
            _("期限届满日：%(day)s（%(weekday)s）。")
            % {"day": self.due_on.isoformat(), "weekday": _weekday(self.due_on)}
        )
        if self.provisional:
            out.append(
                _("暂定：%(years)s 年的节假日安排尚未发布，已按法定节日推算、调休日未知；通知发布后将自动重新计算。")
                % {"years": "、".join(str(y) for y in self.provisional_years)}
            )
        return out

    def text(self) -> str:
        return "\n".join(self.lines())


def _weekday(day: dt.date) -> str:
    return [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")][day.weekday()]


def _reason_text(run: SkippedDays) -> str:
    if run.reason == "weekend":
        return _("周末")
    if run.reason == ix.HOLIDAY:
        return _("%(name)s放假") % {"name": run.name}
    if run.reason == ix.PROVISIONAL_HOLIDAY:
        return _("%(name)s（法定节日，暂定）") % {"name": run.name}
    return _("%(name)s（地方放假）") % {"name": run.name}


@dataclass(frozen=True)
class Clock:
    """A time limit: `limit` workdays (or calendar days) counted from the day after `start`.

    Pauses move the due date later by the workdays they cover; the last restart makes the count begin again from
    its day (pauses before it and extensions granted before it lapse); extensions add workdays after the due date.
    The state is `warning` when at most `warning_workdays`, or at most `warning_ratio` of the limit, remain.
    """

    start: dt.date
    limit: int
    pauses: tuple[Pause, ...] = ()
    restarts: tuple[Restart, ...] = ()
    extensions: tuple[Extension, ...] = ()
    calendar_days: bool = False
    division_code: str = ""
    warning_ratio: float = 0.2
    warning_workdays: int = 2

    def __post_init__(self) -> None:
        if type(self.limit) is not int or self.limit < 0:
            raise InvalidInput(
                _("时限必须是非负整数：%(value)r") % {"value": self.limit}, detail={"limit": ["invalid"]}
            )
        if not 0 <= self.warning_ratio <= 1:
            raise InvalidInput(_("预警比例应在 0 与 1 之间。"), detail={"warning_ratio": ["invalid"]})
        # Tuples, so a Clock stays hashable and immutable whatever sequence the caller passed.
        for name in ("pauses", "restarts", "extensions"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    # --- the rules ----------------------------------------------------------------------------------------------
    @property
    def restart(self) -> Restart | None:
        later = [r for r in self.restarts if r.on >= self.start]
        return max(later, key=lambda r: r.on) if later else None

    @property
    def counting_from(self) -> dt.date:
        restart = self.restart
        return restart.on if restart is not None else self.start

    def effective_pauses(self) -> list[Pause]:
        """Pauses after the counting start, clipped to it and merged where they overlap (a day is paused once)."""
        begin = self.counting_from
        spans = sorted((max(p.start, begin), p.end, p.reason) for p in self.pauses if p.end > begin)
        merged: list[Pause] = []
        for start, end, reason in spans:
            if merged and start <= merged[-1].end:
                last = merged[-1]
                if end > last.end:
                    merged[-1] = Pause(last.start, end, last.reason)
                continue
            merged.append(Pause(start, end, reason))
        return merged

    def effective_extensions(self) -> list[Extension]:
        begin = self.counting_from
        return [e for e in self.extensions if e.granted_on is None or e.granted_on >= begin]

    def _paused(self) -> list[tuple[Pause, int]]:
        if self.calendar_days:
            return [(p, (p.end - p.start).days) for p in self.effective_pauses()]
        code = self.division_code
        return [(p, counting.workdays_between(p.start, p.end, division_code=code)) for p in self.effective_pauses()]

    def _compute(self) -> tuple[dt.date, dt.date | None]:
        code = self.division_code
        begin = self.counting_from
        paused = sum(n for _p, n in self._paused())
        extra = sum(e.workdays for e in self.effective_extensions())
        rolled_from: dt.date | None = None
        if self.calendar_days:
            nominal = begin + dt.timedelta(days=self.limit + paused)
            if nominal > ix.LAST_DAY:
                raise InvalidInput(_("期限超出日历范围。"), detail={"limit": ["out_of_range"]})
            base = counting.next_workday_on_or_after(nominal, division_code=code)
            rolled_from = nominal if base != nominal else None
            due = counting.add_workdays(base, extra, division_code=code)
        else:
            due = counting.add_workdays(begin, self.limit + paused + extra, division_code=code)
        return due, rolled_from

    # --- what callers read -------------------------------------------------------------------------------------
    @property
    def due_on(self) -> dt.date:
        return self._compute()[0]

    @property
    def provisional(self) -> bool:
        """The due date lies in, or was counted across, a year whose notice is not loaded yet."""
        last = max([self.due_on, *(p.end for p in self.pauses)])
        return counting.is_provisional_span(self.start, last)

    def remaining(self, today: dt.date | None = None) -> int:
        """Workdays left after `today` up to the due date: 0 on the due date, negative once overdue."""
        today = today or core_clock.today()
        return counting.workdays_between(today, self.due_on, division_code=self.division_code)

    def state(self, today: dt.date | None = None, *, done_on: dt.date | None = None) -> ClockState:
        """`overdue` when done (or still open) after the due date; `warning` when close; else `on_time`."""
        if done_on is not None:
            return ClockState.ON_TIME if done_on <= self.due_on else ClockState.OVERDUE
        today = today or core_clock.today()
        if today > self.due_on:
            return ClockState.OVERDUE
        left = self.remaining(today)
        total = self.limit + sum(e.workdays for e in self.effective_extensions())
        if left <= self.warning_workdays or left <= math.floor(self.warning_ratio * total):
            return ClockState.WARNING
        return ClockState.ON_TIME

    def as_dict(self, today: dt.date | None = None) -> dict[str, Any]:
        """The fields the API and the pages show with a due date."""
        today = today or core_clock.today()
        state = self.state(today)
        return {
            "due_on": self.due_on.isoformat(),
            "provisional": self.provisional,
            "remaining_workdays": self.remaining(today),
            "state": state.value,
        }

    def explain(self) -> Explanation:
        due, rolled_from = self._compute()
        begin = self.counting_from
        code = self.division_code
        index = ix.current().for_division(code)
        lo, hi = ix.offset_of(begin) + 1, ix.offset_of(due)
        skipped: list[SkippedDays] = []
        makeup: list[tuple[dt.date, str]] = []
        for off in range(lo, hi + 1):  # only the days of one due date, for a reader; never on a hot path
            kind, name = index.special.get(off, ("", ""))
            day = ix.day_of(off)
            if index.workday_list[off]:
                if kind == ix.MAKEUP:
                    makeup.append((day, name))
                continue
            reason = kind if kind and kind != ix.MAKEUP else "weekend"
            if reason == "weekend":
                name = ""
            last = skipped[-1] if skipped else None
            if last is not None and last.reason == reason and last.name == name and last.last == day - dt.timedelta(1):
                skipped[-1] = SkippedDays(last.first, day, reason, name)
            else:
                skipped.append(SkippedDays(day, day, reason, name))
        last_day = max([due, *(p.end for p in self.pauses)])
        years = tuple(y for y in range(self.start.year, last_day.year + 1) if y not in index.loaded_years)
        return Explanation(
            start=begin,
            limit=self.limit,
            calendar_days=self.calendar_days,
            due_on=due,
            provisional=self.provisional,
            provisional_years=years,
            restart=self.restart,
            skipped=tuple(skipped),
            makeup_days=tuple(makeup),
            pauses=tuple(self._paused()),
            extensions=tuple(self.effective_extensions()),
            counted_workdays=counting.workdays_between(begin, due, division_code=code),
            rolled_from=rolled_from,
        )
