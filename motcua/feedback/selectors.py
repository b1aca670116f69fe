"""Reads of the feedback app: staff inbox, published answers, what a sender follows, ratings, indicators."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from motcua.dossiers.lifecycle import TRANSITIONS, Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import Horizon
from motcua.feedback.access import staff_feedback
from motcua.feedback.models import (
    INTERNAL_ACTIONS,
    Feedback,
    FeedbackAction,
    FeedbackEvent,
    FeedbackFile,
    FeedbackPublication,
    FeedbackStatus,
    Rating,
    Reaction,
    Topic,
)
from motcua.feedback.schemes import Indicator, Scheme, Text, scheme_for
from motcua.org.access import Scope

URGENCIES = ("late", "today", "soon", "ok")


def find_for_sender(code: str, secret: str) -> Feedback | None:
    """Return the feedback when code and secret match; None alike for a wrong code or a wrong secret."""
    feedback = Feedback.objects.select_related("agency", "procedure").filter(code=code.strip()).first()
    expected = feedback.secret if feedback is not None else "0" * 10
    matches = hmac.compare_digest(expected.encode(), secret.strip().upper().encode())
    return feedback if feedback is not None and matches else None


# ---- The staff inbox -----------------------------------------------------------------------------


def _urgency(h: Horizon) -> Case:
    return Case(
        When(~Q(status=FeedbackStatus.OPEN), then=Value("done")),
        When(due_at__lt=h.now, then=Value("late")),
        When(due_at__lt=h.end_of_today, then=Value("today")),
        When(due_at__lte=h.soon_until, then=Value("soon")),
        default=Value("ok"),
        output_field=CharField(),
    )


HOLDERS = ("mine", "none")


def inbox(scope: Scope, h: Horizon, *, holder: str = "", user_id: int | None = None) -> QuerySet[Feedback]:
    """The feedback the scope handles, with its urgency (like "My work"), soonest due first.

    `holder`: "mine" keeps what `user_id` holds (her own list), "none" what nobody holds yet.
    """
    items = staff_feedback(scope).annotate(urgency=_urgency(h))
    if holder == "mine":
        items = items.filter(assignee_id=user_id)
    elif holder == "none":
        items = items.filter(assignee__isnull=True)
    return items


def inbox_counts(items: QuerySet[Feedback]) -> dict[str, int]:
    """Count the open items by urgency, in one query."""
    counts = items.filter(status=FeedbackStatus.OPEN).aggregate(
        **{u: Count("pk", filter=Q(urgency=u)) for u in URGENCIES}
    )
    return {u: counts[u] or 0 for u in URGENCIES}


def inbox_rows(items: QuerySet[Feedback]) -> QuerySet[Feedback]:
    return items.select_related("agency", "procedure", "assignee").order_by("due_at", "pk")


def feedback_page(items: QuerySet[Feedback], code: str) -> Feedback | None:
    """One feedback with its files and audit trail, for the staff page (a fixed number of queries)."""
    return (
        items.filter(code=code)
        .select_related(
            "agency", "procedure", "dossier", "service_point", "answered_by", "follow_up_of", "assignee"
        )
        .prefetch_related(
            Prefetch("files", queryset=FeedbackFile.objects.order_by("pk")),
            Prefetch("events", queryset=FeedbackEvent.objects.select_related("from_agency", "to_agency")),
            Prefetch(
                "publications",
                queryset=FeedbackPublication.objects.select_related("published_by", "withdrawn_by"),
            ),
        )
        .first()
    )


# ---- Public -------------------------------------------------------------------------------------


def published_answers(procedure_code: str = "", topic: str = "") -> QuerySet[Feedback]:
    """Published questions and answers, newest first (their texts hold no personal data)."""
    found = Feedback.objects.filter(published_at__isnull=False)
    if procedure_code:
        found = found.filter(procedure__code=procedure_code)
    if topic in Topic.values:
        found = found.filter(topic=topic)
    return found.select_related("procedure", "agency").order_by("-published_at", "-pk")


@dataclass(frozen=True)
class Follow:
    """What the sender sees of her feedback: its state, the agency answering, the public steps."""

    feedback: Feedback
    events: list[FeedbackEvent]
    can_react: bool
    # The published answer, once a leader corrected it and sent it to her (the message links here).
    corrected_answer: str = ""


def public_steps(feedback: Feedback) -> QuerySet[FeedbackEvent]:
    """The steps the sender sees: not the agency's own work (who holds it, a withdrawn publication)."""
    return (
        feedback.events.exclude(action__in=INTERNAL_ACTIONS).select_related("to_agency").order_by("at", "pk")
    )


def follow(feedback: Feedback) -> Follow:
    events = list(public_steps(feedback))
    can_react = feedback.status == FeedbackStatus.ANSWERED and not feedback.reaction
    told = any(e.action == FeedbackAction.PUBLISH and e.data.get("sender_told") for e in events)
    corrected = feedback.public_answer if told and feedback.published_at is not None else ""
    return Follow(feedback=feedback, events=events, can_react=can_react, corrected_answer=corrected)


# ---- Ratings --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingPanel:
    """What a dossier's page shows about rating it: the form's scheme, or the rating already given."""

    dossier: Dossier
    scheme: Scheme
    rating: Rating | None
    can_rate: bool


def can_be_rated(dossier: Dossier) -> bool:
    """Ended, as the lifecycle's RATE action allows (returned or refused)."""
    return dossier.status in TRANSITIONS[Action.RATE].sources


def rating_scheme(dossier: Dossier) -> Scheme:
    """The scheme a dossier is judged by: the one in force on the day it ended."""
    ended = dossier.finished_at or timezone.now()
    return scheme_for(timezone.localtime(ended).date())


def rating_panel(dossier: Dossier) -> RatingPanel | None:
    """None while the dossier has not ended (nothing to show yet)."""
    if not can_be_rated(dossier):
        return None
    rating = Rating.objects.filter(dossier=dossier).first()
    return RatingPanel(dossier=dossier, scheme=rating_scheme(dossier), rating=rating, can_rate=rating is None)


# ---- Indicators (Decision 766, satisfaction) ------------------------------------------------------


@dataclass(frozen=True)
class Ratio:
    code: str
    label: Text
    points: int
    numerator: int
    denominator: int

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.numerator) / Decimal(self.denominator) if self.denominator else None

    @property
    def percent(self) -> int | None:
        rate = self.rate
        return int((rate * 100).to_integral_value()) if rate is not None else None

    @property
    def score(self) -> Decimal | None:
        rate = self.rate
        return (rate * self.points).quantize(Decimal("0.01")) if rate is not None else None


@dataclass(frozen=True)
class Satisfaction:
    """The satisfaction sub-indicators of a scope over a period, with the counts behind each ratio."""

    scheme: Scheme
    counts: dict[str, int]
    indicators: list[Ratio]
    average_total: Decimal | None
    max_total: int

    def indicator(self, code: str) -> Ratio | None:
        return next((i for i in self.indicators if i.code == code), None)

    @property
    def satisfaction(self) -> Ratio:
        """Satisfied applicants of those who rated: the seeds' goal (≥ 75 %) is judged on it."""
        counts = self.counts
        found = self.indicator("citizen_satisfaction")
        return found or Ratio(
            "citizen_satisfaction", Text("", ""), 0, counts["ratings_satisfied"], counts["ratings"]
        )

    @property
    def goal_percent(self) -> int:
        return int((self.scheme.goal * 100).to_integral_value())

    @property
    def meets_goal(self) -> bool | None:
        rate = self.satisfaction.rate
        return None if rate is None else rate >= self.scheme.goal


def _ratio(indicator: Indicator, counts: dict[str, int]) -> Ratio:
    numerator = sum(sign * counts[name] for sign, name in indicator.numerator)
    denominator = sum(counts[name] for name in indicator.denominator)
    return Ratio(indicator.code, indicator.label, indicator.points, max(numerator, 0), denominator)


def _dossier_counts(dossiers: QuerySet[Dossier], start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """Dossiers that ended in the period (returned or refused): ratings, complaints, lateness."""
    complained = Feedback.objects.filter(dossier=OuterRef("pk"), topic=Topic.HANDLING)
    bad = Q(rating__satisfied=False) | Q(outcome="late") | Q(Exists(complained))
    return dossiers.filter(
        finished_at__gte=start, finished_at__lt=end, status__in=TRANSITIONS[Action.RATE].sources
    ).aggregate(
        dossiers=Count("pk"),
        dossiers_unsatisfied_complained_or_late=Count("pk", filter=bad),
        ratings=Count("rating"),
        ratings_satisfied=Count("rating", filter=Q(rating__satisfied=True)),
        average_total=Avg("rating__total"),
        max_total=Max("rating__max_total"),
    )


def _feedback_counts(scope: Scope, start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """Feedback received in the period (handled on time or not), and answers given in it."""
    received = Q(received_at__gte=start, received_at__lt=end)
    answered = Q(status=FeedbackStatus.ANSWERED, closed_at__gte=start, closed_at__lt=end)
    followed = Feedback.objects.filter(follow_up_of=OuterRef("pk"))
    bad = Q(reaction=Reaction.UNSATISFIED) | Q(on_time=False) | Q(Exists(followed))
    counts = staff_feedback(scope).aggregate(
        feedback_received=Count("pk", filter=received),
        feedback_handled_on_time=Count("pk", filter=received & Q(on_time=True)),
        answers=Count("pk", filter=answered),
        answers_unsatisfied_complained_or_late=Count("pk", filter=answered & bad),
    )
    return {k: v or 0 for k, v in counts.items()}


def satisfaction(
    *, scope: Scope, dossiers: QuerySet[Dossier], start: dt.datetime, end: dt.datetime
) -> Satisfaction:
    """Compute Decision 766's satisfaction sub-indicators and the Decree 61 average for a scope and period.

    `dossiers` are the scope's dossiers (dossiers.access.staff_dossiers). Two queries: the dossiers that
    ended in the period, and the scope's feedback. The formulas come from the scheme in force at the
    period's end.
    """
    scheme = scheme_for(timezone.localtime(end - dt.timedelta(microseconds=1)).date())
    found = _dossier_counts(dossiers, start, end)
    counts = {k: int(v or 0) for k, v in found.items() if k not in ("average_total", "max_total")}
    counts |= _feedback_counts(scope, start, end)
    average = found["average_total"]
    return Satisfaction(
        scheme=scheme,
        counts=counts,
        indicators=[_ratio(i, counts) for i in scheme.indicators],
        average_total=Decimal(str(average)).quantize(Decimal("0.1")) if average is not None else None,
        max_total=int(found["max_total"] or scheme.max_points),
    )


def awaiting_rating(point_ids: frozenset[int], since: dt.datetime) -> list[Dossier]:
    """Dossiers of these points ended since `since` without a rating yet (the counter screen's list)."""
    return list(
        Dossier.objects.filter(
            receiving_point_id__in=point_ids,
            status__in=TRANSITIONS[Action.RATE].sources,
            finished_at__gte=since,
            rating__isnull=True,
        )
        .select_related("procedure_version")
        .order_by("-finished_at", "-pk")[:20]
    )
