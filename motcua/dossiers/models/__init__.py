from motcua.dossiers.models.dossier import Applicant, ApplicantKind, Channel, Delivery, Dossier, Outcome
from motcua.dossiers.models.files import DossierDocument, FileKind, StoredFile
from motcua.dossiers.models.work import (
    Apology,
    CodeSequence,
    DossierEvent,
    DossierStep,
    RequestStage,
    StepStatus,
    SupplementRequest,
)

__all__ = [
    "Apology",
    "Applicant",
    "ApplicantKind",
    "Channel",
    "CodeSequence",
    "Delivery",
    "Dossier",
    "DossierDocument",
    "DossierEvent",
    "DossierStep",
    "FileKind",
    "Outcome",
    "RequestStage",
    "StepStatus",
    "StoredFile",
    "SupplementRequest",
]
