"""The evaluation of an ended dossier against the scheme's criteria (Decree 61: 9 criteria × 0–2 points).

What the system knows is measured from the dossier's own record: its outcome against the first promise,
the outcomes of its steps per agency, the completion and supplement requests it needed, how fully its
procedure is published, the feedback about its handling and the procedure's online level. The rest is
the applicant's answers. `measure` reads, `score` is a pure function of what was read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.dossiers.deadlines import outcome_of
from motcua.dossiers.models import Dossier, DossierStep, StepStatus, SupplementRequest
from motcua.feedback.models import Feedback, FeedbackStatus, Topic
from motcua.feedback.schemes import Scheme

# Worst first: one late agency makes the whole "time at each agency" criterion late.
_OUTCOME_ORDER = ("late", "on_time", "early")


@dataclass(frozen=True)
class Measured:
    value: str | int
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Score:
    code: str
    points: int
    max: int
    source: str
    value: str | int
    detail: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        found = {"code": self.code, "points": self.points, "max": self.max, "source": self.source}
        return {**found, "value": self.value, **({"detail": self.detail} if self.detail else {})}


def _dossier_outcome(dossier: Dossier) -> str:
    if dossier.outcome:
        return dossier.outcome
    # A refusal has no outcome of its own: judge it by when it ended against the first promise.
    if dossier.finished_at is not None and dossier.original_due_at is not None:
        return outcome_of(dossier.finished_at, dossier.original_due_at)
    return "on_time"


def _step_outcomes(steps: Sequence[DossierStep]) -> Measured:
    by_agency: dict[str, str] = {}  # agency id → its worst outcome
    for step in steps:
        if step.status != StepStatus.DONE or not step.counts_time or not step.outcome:
            continue
        key = str(step.agency_id)
        known = by_agency.get(key)
        if known is None or _OUTCOME_ORDER.index(step.outcome) < _OUTCOME_ORDER.index(known):
            by_agency[key] = step.outcome
    worst = min(by_agency.values(), key=_OUTCOME_ORDER.index, default="on_time")
    return Measured(worst, {"by_agency": by_agency})


def _publication(dossier: Dossier) -> str:
    version = dossier.procedure_version
    if version.status != "published":
        return "unpublished"
    complete = bool(version.result.strip() and version.legal_basis.strip()) and version.documents.exists()
    return "complete" if complete else "partial"


def _feedback_on(dossier: Dossier) -> str:
    handled = list(
        Feedback.objects.filter(dossier=dossier, topic=Topic.HANDLING).values_list(
            "status", "on_time", "due_at"
        )
    )
    if not handled:
        return "none"
    now = timezone.now()
    if any(status == FeedbackStatus.OPEN and due < now for status, _on_time, due in handled):
        return "late"
    if any(status == FeedbackStatus.OPEN for status, _on_time, _due in handled):
        return "open"
    return "answered_late" if any(on_time is False for _s, on_time, _d in handled) else "answered_on_time"


def measure(dossier: Dossier, steps: Sequence[DossierStep]) -> dict[str, Measured]:
    """Read what the computed criteria need about an ended dossier (its steps are given, already loaded)."""
    return {
        "dossier_outcome": Measured(_dossier_outcome(dossier)),
        "step_outcomes": _step_outcomes(steps),
        "completion_requests": Measured(SupplementRequest.objects.filter(dossier=dossier).count()),
        "procedure_published": Measured(_publication(dossier)),
        "feedback_on_dossier": Measured(_feedback_on(dossier)),
        "online_level": Measured(dossier.procedure_version.online_level or "none"),
    }


def check_answers(scheme: Scheme, answers: Mapping[str, Any]) -> dict[str, int]:
    """Return the citizen's points per criterion, or raise naming each one left out or answered wrong."""
    chosen: dict[str, int] = {}
    wrong: dict[str, str] = {}
    for criterion in scheme.citizen_criteria:
        raw = answers.get(criterion.code)
        try:
            points = int(raw) if raw is not None and str(raw).strip() != "" else None
        except (TypeError, ValueError):
            points = None
        if points is None or criterion.answer(points) is None:
            wrong[criterion.code] = _("Choose one answer.")
        else:
            chosen[criterion.code] = points
    if wrong:
        raise ValidationFailed(
            _("Please answer every question of the rating."), code="rating_incomplete", fields=wrong
        )
    return chosen


def score(scheme: Scheme, measured: Mapping[str, Measured], answers: Mapping[str, int]) -> list[Score]:
    """Score every criterion of the scheme: computed ones from `measured`, the others from `answers`."""
    scores = []
    for criterion in scheme.criteria:
        detail: dict[str, Any] = {}
        if criterion.source == "computed":
            found = measured[criterion.measure]
            value, detail, points = found.value, found.detail, criterion.score(found.value)
        else:
            value = points = answers[criterion.code]
        scores.append(Score(criterion.code, points, criterion.max_points, criterion.source, value, detail))
    return scores
