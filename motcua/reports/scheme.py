"""The service-quality scheme (Decision 766/QĐ-TTg) as dated configuration, and its scoring.

The groups, indicators, points and the measure behind each indicator live in `data/*.json`, one file per
version of the rules; the version in force on a period's last day scores that period. No ORM here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    points: float
    measure: str


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    points: float
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Scheme:
    key: str
    title: str
    legal_basis: str
    effective_from: dt.date
    note: str
    groups: tuple[Group, ...]

    @property
    def points(self) -> float:
        return sum(g.points for g in self.groups)


class SchemeError(ValueError):
    """A scheme file that does not add up; raised at load, never while scoring."""


def _indicator(raw: Mapping) -> Indicator:
    return Indicator(raw["key"], raw["name"], float(raw["points"]), raw["measure"])


def parse(raw: Mapping) -> Scheme:
    """Build a scheme from its JSON and check that the points add up (groups to 100, indicators to groups)."""
    groups = tuple(
        Group(g["key"], g["name"], float(g["points"]), tuple(_indicator(i) for i in g["indicators"]))
        for g in raw["groups"]
    )
    scheme = Scheme(
        key=raw["scheme"],
        title=raw["title"],
        legal_basis=raw.get("legal_basis", ""),
        effective_from=dt.date.fromisoformat(raw["effective_from"]),
        note=raw.get("note", ""),
        groups=groups,
    )
    for group in groups:
        inside = sum(i.points for i in group.indicators)
        if abs(inside - group.points) > 1e-9:
            raise SchemeError(
                f"{scheme.key}: the indicators of {group.key} add up to {inside}, not {group.points}"
            )
    if abs(scheme.points - 100) > 1e-9:
        raise SchemeError(f"{scheme.key}: the groups add up to {scheme.points}, not 100")
    keys = [i.key for g in groups for i in g.indicators]
    if len(keys) != len(set(keys)):
        raise SchemeError(f"{scheme.key}: an indicator key is used twice")
    return scheme


@cache
def schemes() -> tuple[Scheme, ...]:
    """Every scheme version shipped, oldest first."""
    found = [
        parse(json.loads(path.read_text(encoding="utf-8"))) for path in sorted(DATA.glob("decision-*.json"))
    ]
    return tuple(sorted(found, key=lambda s: s.effective_from))


def in_force(day: dt.date, available: tuple[Scheme, ...] | None = None) -> Scheme:
    """The scheme whose rules applied on `day` (the earliest one for days before any of them)."""
    available = available or schemes()
    current = available[0]
    for scheme in available:
        if scheme.effective_from <= day:
            current = scheme
    return current


@dataclass(frozen=True)
class Measurement:
    """A rate's parts; `reason` instead when MotCua cannot measure it (and the points are left out)."""

    numerator: int = 0
    denominator: int = 0
    reason: str = ""

    @property
    def measured(self) -> bool:
        return not self.reason

    @property
    def rate(self) -> float | None:
        if not self.measured:
            return None
        # Nothing to judge (no dossier, no feedback) is not a failure: the indicator is met in full.
        return self.numerator / self.denominator if self.denominator else 1.0


@dataclass(frozen=True)
class IndicatorScore:
    indicator: Indicator
    measurement: Measurement

    @property
    def points(self) -> float | None:
        rate = self.measurement.rate
        return None if rate is None else round(self.indicator.points * rate, 2)


@dataclass(frozen=True)
class GroupScore:
    group: Group
    indicators: tuple[IndicatorScore, ...]

    @property
    def points(self) -> float:
        return round(sum(s.points or 0 for s in self.indicators), 2)

    @property
    def measurable(self) -> float:
        return sum(s.indicator.points for s in self.indicators if s.measurement.measured)


@dataclass(frozen=True)
class Scorecard:
    scheme: Scheme
    groups: tuple[GroupScore, ...]

    @property
    def points(self) -> float:
        return round(sum(g.points for g in self.groups), 2)

    @property
    def measurable(self) -> float:
        return sum(g.measurable for g in self.groups)

    @property
    def share_of_measurable(self) -> float | None:
        """Points earned over the points MotCua can measure: the honest reading while some cannot be."""
        return self.points / self.measurable if self.measurable else None


def score(scheme: Scheme, measurements: Mapping[str, Measurement]) -> Scorecard:
    """Score every indicator as points × rate; an indicator without a measurement is left out."""
    missing = Measurement(reason=_("MotCua has no way to count this indicator yet."))
    return Scorecard(
        scheme=scheme,
        groups=tuple(
            GroupScore(
                g, tuple(IndicatorScore(i, measurements.get(i.measure, missing)) for i in g.indicators)
            )
            for g in scheme.groups
        ),
    )
