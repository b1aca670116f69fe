"""Deadline arithmetic: our add_working_time against a plain minute-by-minute walk over the same calendar."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from decimal import Decimal

from motcua.workdays.calendar import WorkCalendar, is_working_day, office_hours_on
from motcua.workdays.deadlines import add_working_time
from motcua.workdays.selectors import calendar_for

RUNS = 2000


def _walk(cal: WorkCalendar, start: dt.datetime, hours: Decimal) -> dt.datetime:
    """The obvious implementation: step through office time a minute at a time (the baseline)."""
    moment = start.astimezone(cal.tz).replace(second=0, microsecond=0)
    left = int(hours * 60)
    while left > 0:
        moment += dt.timedelta(minutes=1)
        day = moment.date()
        if not is_working_day(cal, day):
            continue
        if any(begin < moment.time() <= end for begin, end in office_hours_on(cal, day)):
            left -= 1
    return moment


def _time(fn, starts, amounts) -> list[float]:
    times = []
    for start, amount in zip(starts, amounts, strict=True):
        began = time.perf_counter()
        fn(start, amount)
        times.append((time.perf_counter() - began) * 1000)
    return times


def run() -> list[dict]:
    cal = calendar_for(years=range(2025, 2028))
    rng = random.Random(7)
    tz = cal.tz
    starts = [
        dt.datetime(2025, 1, 2, 7, 0, tzinfo=tz) + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 600))
        for _ in range(RUNS)
    ]
    amounts = [Decimal(rng.choice([0.25, 0.5, 1, 3, 5, 10, 15, 20])) for _ in range(RUNS)]
    ours = _time(lambda s, a: add_working_time(cal, s, a, "d"), starts, amounts)
    few = RUNS // 20  # the walk is slow: a sample is enough for its median
    walk = _time(lambda s, a: _walk(cal, s, a * cal.hours_per_day), starts[:few], amounts[:few])
    ours_median, walk_median = statistics.median(ours), statistics.median(walk)
    return [
        {
            "name": "add_working_time (days 0.25–20)",
            "n": RUNS,
            "median_ms": ours_median,
            "p99_ms": statistics.quantiles(ours, n=100)[98],
            "speedup_vs_walk": walk_median / ours_median,
        },
        {
            "name": "  minute-by-minute walk (baseline)",
            "n": few,
            "median_ms": walk_median,
            "p99_ms": max(walk),
            "speedup_vs_walk": 1.0,
        },
    ]
