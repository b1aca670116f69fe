"""What the public look-up and the citizen's own pages show of a dossier."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from motcua.core.models import User
from motcua.dossiers.lifecycle import Action, Status, allowed_actions
from motcua.dossiers.models import (
    Dossier,
    DossierEvent,
    FileKind,
    StepStatus,
    StoredFile,
    SupplementRequest,
)
from motcua.signing.selectors import signatures_on

# Actions whose comment is written to the applicant (reasons of a refusal, a stop, an apology…).
ADDRESSED_TO_APPLICANT = {
    Action.REFUSE_INTAKE,
    Action.REFUSE,
    Action.ISSUE_APOLOGY,
    Action.STOP,
    Action.WITHDRAW,
    Action.ABANDON,
}


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    label: str
    agency: str
    detail: str = ""


@dataclass
class DossierView:
    """A dossier as its applicant or the public sees it: no person's name, no internal note."""

    dossier: Dossier
    status_label: str
    holding: list[str]
    timeline: list[TimelineEntry]
    badge: str
    actions: set[str] = field(default_factory=set)


BADGES = {
    Status.SUBMITTED: "today",
    Status.NEEDS_COMPLETION: "late",
    Status.WAITING_SUPPLEMENT: "late",
    Status.RESULT_READY: "ok",
    Status.RETURNED: "ok",
    Status.REFUSED: "late",
    Status.ABANDONED: "late",
}


def status_badge(status: str) -> str:
    return BADGES.get(Status(status), "neutral") if status in Status.values else "neutral"


def _label(event: DossierEvent) -> str:
    label = str(Action(event.action).label) if event.action in Action.values else event.action
    if event.step is not None and event.action in (Action.COMPLETE_STEP, Action.TAKE_STEP):
        label = f"{label}: {event.step.name}"
    return label


def timeline(dossier: Dossier, *, for_applicant: bool) -> list[TimelineEntry]:
    events = (
        dossier.events.filter(public=True)
        .exclude(action=Action.NOTE)
        .select_related("agency", "step")
        .order_by("at", "id")
    )
    return [
        TimelineEntry(
            at=e.at,
            label=_label(e),
            agency=e.agency.name if e.agency is not None else "",
            detail=e.comment if for_applicant and e.action in ADDRESSED_TO_APPLICANT else "",
        )
        for e in events
    ]


def holding_agencies(dossier: Dossier) -> list[str]:
    """Name the agencies handling the dossier now; parallel branches may be several."""
    if dossier.status != Status.IN_PROGRESS:
        return []
    names = (
        dossier.steps.filter(status=StepStatus.ACTIVE)
        .order_by("stage", "branch", "position")
        .values_list("agency__name", flat=True)
    )
    return list(dict.fromkeys(names))


def dossier_view(dossier: Dossier, *, for_applicant: bool = False) -> DossierView:
    return DossierView(
        dossier=dossier,
        status_label=str(Status(dossier.status).label),
        holding=holding_agencies(dossier),
        timeline=timeline(dossier, for_applicant=for_applicant),
        badge=status_badge(dossier.status),
        actions=set(allowed_actions(dossier.status)),
    )


def citizen_dossiers(user: User) -> QuerySet[Dossier]:
    return (
        Dossier.objects.filter(citizen=user)
        .select_related("procedure", "procedure_version", "receiving_point")
        .order_by("-created_at", "-id")
    )


def open_request(dossier: Dossier) -> SupplementRequest | None:
    return dossier.supplement_requests.filter(answered_at__isnull=True).order_by("-requested_at").first()


def result_files(dossier: Dossier) -> list[StoredFile]:
    """The results to download, with their signatures; an original is left out once its signed copy exists."""
    found = list(
        dossier.files.filter(kind=FileKind.RESULT)
        .prefetch_related("signatures")
        .order_by("uploaded_at", "id")
    )
    signed_from = {s.source_file_id for f in found for s in signatures_on(f) if s.source_file_id}
    return [f for f in found if f.pk not in signed_from]


def result_file(dossier: Dossier, sha256: str) -> StoredFile | None:
    return dossier.files.filter(kind=FileKind.RESULT, sha256=sha256).first()
