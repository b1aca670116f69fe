"""Record what a counter look-up showed of an applicant (models/disclosures.py says why)."""

from __future__ import annotations

from motcua.core.models import User
from motcua.dossiers.applicant_documents import ApplicantKey
from motcua.dossiers.models import Applicant, ApplicantDisclosure, DisclosurePurpose


def record_lookup(user: User, applicant: Applicant) -> None:
    """The officer found a returning applicant by ID number and was shown her details."""
    ApplicantDisclosure.objects.create(user=user, applicant=applicant, purpose=DisclosurePurpose.LOOKUP)


def record_documents(user: User, key: ApplicantKey, listed: int, *, through_api: bool = False) -> None:
    """The officer (or counter software) was shown `listed` digitised documents; nothing if none."""
    if not listed:
        return
    applicant = Applicant.objects.filter(kind=key.kind, id_number="".join(key.id_number.split())).first()
    if applicant is not None:
        ApplicantDisclosure.objects.create(
            user=user,
            applicant=applicant,
            purpose=DisclosurePurpose.DOCUMENTS,
            through_api=through_api,
            listed=listed,
        )
