"""The internal process as a plan: stages in order, parallel branches within a stage."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from motcua.catalog.choices import TimeUnit
from motcua.catalog.spec import decimal_str


class StepLike(Protocol):
    @property
    def stage(self) -> int: ...
    @property
    def branch(self) -> str: ...
    @property
    def days(self) -> Decimal: ...
    @property
    def counts_time(self) -> bool: ...


def critical_path_days(steps: Iterable[StepLike]) -> Decimal:
    """Sum counting days over stages, taking the longest branch of each stage."""
    per_branch: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for step in steps:
        # Touch the branch even when it does not count, so an all-zero stage still exists.
        per_branch[step.stage][step.branch] += step.days if step.counts_time else Decimal(0)
    return sum((max(branches.values()) for branches in per_branch.values()), Decimal(0))


def process_warnings(steps: Iterable[StepLike], *, amount: Decimal, unit: str) -> list[str]:
    """Warn when the process needs more working days than the time limit allows.

    A warning, not an error: published processes round shares (0.25 + 0.5 …) and provinces publish
    them as they are.
    """
    steps = list(steps)
    if not steps or unit != TimeUnit.DAYS:
        return []
    total = critical_path_days(steps)
    # A limit of 0 means "the same day": the process has that one working day.
    budget = amount if amount > 0 else Decimal(1)
    if total > budget:
        return [
            f"the process takes {decimal_str(total)} working days on its critical path, "
            f"more than the time limit of {decimal_str(amount)}" + (" (the same day)" if amount == 0 else "")
        ]
    return []
