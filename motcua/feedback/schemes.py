"""The satisfaction scheme as dated, versioned data: rating scale, the 9 criteria, feedback limit, indicators.

DOMAIN.md marks the Decree 61 evaluation (9 criteria × 0–2 points) and the Decision 766 sub-indicators
"(check)": they live in `data/satisfaction.json`, not in code. A dossier is judged by the scheme in force
on the day it ended, a feedback by the one in force when it was received; a rule change is a new version
with a new `effective_from`, never an edit of an old one. The file is read once per process and checked
as a whole (`manage.py check` reports its errors, see apps.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.utils.translation import get_language

FORMAT = "motcua-satisfaction/1"
DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "satisfaction.json"

# What the code can compute for a criterion (evaluation.py) and count for an indicator (selectors.py).
MEASURES = frozenset(
    {
        "dossier_outcome",
        "step_outcomes",
        "completion_requests",
        "procedure_published",
        "feedback_on_dossier",
        "online_level",
    }
)
COUNTS = frozenset(
    {
        "feedback_received",
        "feedback_handled_on_time",
        "answers",
        "answers_unsatisfied_complained_or_late",
        "dossiers",
        "dossiers_unsatisfied_complained_or_late",
        "ratings",
        "ratings_satisfied",
    }
)


class SchemeError(ValueError):
    """The scheme file is not valid; `problems` lists every error found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Text:
    """A label in Vietnamese and English; shown in the active language, Vietnamese by default."""

    vi: str
    en: str

    def __str__(self) -> str:
        return self.en if (get_language() or "vi").startswith("en") and self.en else self.vi


@dataclass(frozen=True)
class Level:
    code: str
    label: Text
    satisfied: bool


@dataclass(frozen=True)
class Answer:
    points: int
    label: Text


@dataclass(frozen=True)
class Criterion:
    """A criterion scored 0..max: computed from the dossier's data (`measure`) or answered by the citizen."""

    code: str
    label: Text
    measure: str = ""
    points: tuple[tuple[str, int], ...] = ()
    bands: tuple[tuple[int | None, int], ...] = ()  # (at most this value, points); None = any
    question: Text | None = None
    answers: tuple[Answer, ...] = ()

    @property
    def source(self) -> Literal["computed", "citizen"]:
        return "computed" if self.measure else "citizen"

    @property
    def max_points(self) -> int:
        values = [p for _, p in self.points] + [p for _, p in self.bands] + [a.points for a in self.answers]
        return max(values)

    def score(self, value: str | int) -> int:
        """Return the points a computed value earns (unknown values earn nothing)."""
        if self.bands:
            number = int(value)
            return next(p for limit, p in self.bands if limit is None or number <= limit)
        return dict(self.points).get(str(value), 0)

    def answer(self, points: int) -> Answer | None:
        return next((a for a in self.answers if a.points == points), None)


@dataclass(frozen=True)
class Indicator:
    """A ratio of counts: (Σ signed numerator counts) ÷ (Σ denominator counts), worth `points`."""

    code: str
    label: Text
    points: int
    numerator: tuple[tuple[int, str], ...]
    denominator: tuple[str, ...]


@dataclass(frozen=True)
class Scheme:
    code: str
    name: Text
    legal_basis: str
    effective_from: dt.date
    effective_to: dt.date | None
    goal: Decimal
    levels: tuple[Level, ...]
    criteria: tuple[Criterion, ...]
    answer_within: tuple[Decimal, Literal["d", "h"]]
    warn_before: tuple[Decimal, Literal["d", "h"]]
    indicators: tuple[Indicator, ...]

    @property
    def max_points(self) -> int:
        return sum(c.max_points for c in self.criteria)

    @property
    def citizen_criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.source == "citizen")

    def level(self, code: str) -> Level | None:
        return next((lv for lv in self.levels if lv.code == code), None)

    def covers(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


def _text(value: Any, where: str, problems: list[str]) -> Text:
    if not isinstance(value, dict) or not str(value.get("vi", "")).strip():
        problems.append(f"{where}: a label needs at least its Vietnamese text")
        return Text("", "")
    return Text(str(value["vi"]).strip(), str(value.get("en", "")).strip())


def _amount(value: Any, where: str, problems: list[str]) -> tuple[Decimal, Literal["d", "h"]]:
    raw = str(value or "").strip().lower()
    try:
        amount = Decimal(raw[:-1])
    except ArithmeticError:
        amount = Decimal(-1)
    if raw[-1:] not in ("d", "h") or not amount.is_finite() or amount <= 0:
        problems.append(f"{where}: write an amount of office time like 10d or 4h, not {value!r}")
        return Decimal(1), "d"
    return amount, raw[-1]  # type: ignore[return-value]


def _criterion(raw: dict[str, Any], where: str, problems: list[str]) -> Criterion:
    code = str(raw.get("code", ""))
    label = _text(raw.get("label"), where, problems)
    measure = str(raw.get("measure", ""))
    if measure:
        if measure not in MEASURES:
            problems.append(f"{where}: unknown measure {measure!r} (known: {', '.join(sorted(MEASURES))})")
        points = tuple((str(k), int(v)) for k, v in (raw.get("points") or {}).items())
        bands = tuple((None if lim is None else int(lim), int(p)) for lim, p in raw.get("bands") or [])
        if bool(points) == bool(bands):
            problems.append(f"{where}: a computed criterion has either `points` or `bands`")
        elif bands and bands[-1][0] is not None:
            problems.append(f"{where}: the last band must take any value (null)")
        criterion = Criterion(code, label, measure, points, bands)
    else:
        answers = tuple(
            Answer(int(a.get("points", -1)), _text(a.get("label"), f"{where} answer", problems))
            for a in raw.get("answers") or []
        )
        if len(answers) < 2 or len({a.points for a in answers}) != len(answers):
            problems.append(f"{where}: a citizen's criterion needs two or more answers with distinct points")
        question = _text(raw.get("question"), f"{where} question", problems)
        criterion = Criterion(code, label, question=question, answers=answers)
    scores = [p for _, p in criterion.points] + [p for _, p in criterion.bands]
    scores += [a.points for a in criterion.answers]
    if any(p < 0 for p in scores) or not scores:
        problems.append(f"{where}: points are whole numbers from 0")
    return criterion


def _indicator(raw: dict[str, Any], where: str, problems: list[str]) -> Indicator:
    numerator = []
    for term in raw.get("numerator") or []:
        sign, name = (-1, term[1:]) if str(term).startswith("-") else (1, str(term))
        numerator.append((sign, name))
    denominator = tuple(str(t) for t in raw.get("denominator") or [])
    unknown = [n for _, n in numerator if n not in COUNTS] + [n for n in denominator if n not in COUNTS]
    if unknown or not numerator or not denominator:
        problems.append(f"{where}: numerator and denominator name known counts ({', '.join(sorted(COUNTS))})")
    return Indicator(
        str(raw.get("code", "")),
        _text(raw.get("label"), where, problems),
        int(raw.get("points", 0)),
        tuple(numerator),
        denominator,
    )


def _scheme(raw: dict[str, Any], problems: list[str]) -> Scheme:
    code = str(raw.get("code", "")).strip()
    where = f"scheme {code or '?'}"
    try:
        start = dt.date.fromisoformat(str(raw.get("effective_from")))
        end = dt.date.fromisoformat(raw["effective_to"]) if raw.get("effective_to") else None
    except ValueError:
        problems.append(f"{where}: dates are written YYYY-MM-DD")
        start, end = dt.date.min, None
    levels = tuple(
        Level(
            str(lv.get("code", "")),
            _text(lv.get("label"), f"{where} level", problems),
            bool(lv.get("satisfied")),
        )
        for lv in raw.get("levels") or []
    )
    if len({lv.satisfied for lv in levels}) != 2 or len({lv.code for lv in levels}) != len(levels):
        problems.append(f"{where}: the scale needs distinct levels, some satisfied and some not")
    criteria = tuple(
        _criterion(c, f"{where} criterion {c.get('code', '?')}", problems) for c in raw.get("criteria") or []
    )
    if not criteria or len({c.code for c in criteria}) != len(criteria):
        problems.append(f"{where}: criteria need distinct codes")
    goal = Decimal(str(raw.get("goal", "0")))
    if not Decimal(0) < goal <= Decimal(1):
        problems.append(f"{where}: the goal is a share between 0 and 1, e.g. 0.75")
    limits = raw.get("feedback") or {}
    return Scheme(
        code=code,
        name=_text(raw.get("name"), where, problems),
        legal_basis=str(raw.get("legal_basis", "")),
        effective_from=start,
        effective_to=end,
        goal=goal,
        levels=levels,
        criteria=criteria,
        answer_within=_amount(limits.get("answer_within"), f"{where} feedback", problems),
        warn_before=_amount(limits.get("warn_before"), f"{where} feedback", problems),
        indicators=tuple(
            _indicator(i, f"{where} indicator {i.get('code', '?')}", problems)
            for i in raw.get("indicators") or []
        ),
    )


def parse_schemes(data: dict[str, Any]) -> tuple[Scheme, ...]:
    """Check a whole scheme file and return its versions, oldest first; raise SchemeError listing problems."""
    problems: list[str] = []
    if data.get("format") != FORMAT:
        problems.append(f"the file's format must be {FORMAT!r}")
    schemes = sorted(
        (_scheme(s, problems) for s in data.get("schemes") or []), key=lambda s: s.effective_from
    )
    if not schemes:
        problems.append("the file holds no scheme")
    if len({s.code for s in schemes}) != len(schemes):
        problems.append("scheme codes must be distinct")
    for before, after in itertools.pairwise(schemes):
        if before.effective_to is None or before.effective_to >= after.effective_from:
            problems.append(f"{before.code} must end before {after.code} starts")
    if problems:
        raise SchemeError(problems)
    return tuple(schemes)


def scheme_file() -> Path:
    """The scheme file: settings.MOTCUA["SATISFACTION_FILE"] when a province ships its own, else ours."""
    chosen = getattr(settings, "MOTCUA", {}).get("SATISFACTION_FILE")
    return Path(chosen) if chosen else DEFAULT_FILE


@functools.cache
def _load(path: Path) -> tuple[Scheme, ...]:
    return parse_schemes(json.loads(path.read_text(encoding="utf-8")))


def all_schemes() -> tuple[Scheme, ...]:
    return _load(scheme_file())


def scheme_for(day: dt.date) -> Scheme:
    """Return the version in force on `day` (before the first: the first; in a gap: the last before)."""
    schemes = all_schemes()
    found = [s for s in schemes if s.effective_from <= day]
    return next((s for s in schemes if s.covers(day)), found[-1] if found else schemes[0])


def scheme_named(code: str) -> Scheme:
    """Return the version a rating or feedback recorded; an unknown code (a removed version) is an error."""
    for scheme in all_schemes():
        if scheme.code == code:
            return scheme
    raise SchemeError([f"no satisfaction scheme has the code {code!r}"])
