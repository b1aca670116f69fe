from motcua.dossiers.models.disclosures import ApplicantDisclosure, DisclosurePurpose
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
    "ApplicantDisclosure",
    "ApplicantKind",
    "Channel",
    "CodeSequence",
    "Delivery",
    "DisclosurePurpose",
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
