"""When a feedback must be answered, and when the watch warns: working time on the province's calendar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from motcua.feedback.schemes import Scheme
from motcua.workdays.deadlines import add_working_time, years_spanned
from motcua.workdays.selectors import calendar_for


def _after(start: dt.datetime, amount: Decimal, unit: Literal["d", "h"]) -> dt.datetime:
    years = years_spanned(start, amount, unit)
    return add_working_time(calendar_for(years=years), start, amount, unit)


def answer_due(received_at: dt.datetime, scheme: Scheme) -> dt.datetime:
    """Return when the answer is due: `answer_within` of office time after receipt (10 working days).

    Received outside office hours, the count starts when the office next opens.
    """
    return _after(received_at, *scheme.answer_within)


def warn_horizon(now: dt.datetime, scheme: Scheme) -> dt.datetime:
    """Return now + `warn_before` of office time: an open feedback due by then is warned about."""
    return _after(now, *scheme.warn_before)
