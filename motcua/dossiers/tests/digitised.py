"""Earlier dossiers whose papers are digitised: a scan signed by the officer, one left unsigned, a result.

Shared by the reuse tests of the services, the counter page, the portal and the API. Signatures are real
(a development CA made by the signing services), so "validly signed" means what it means in production.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from motcua.core.models import User
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, StoredFile
from motcua.dossiers.services import ApplicantIn, IntakeIn
from motcua.dossiers.uploads import Upload
from motcua.signing.services import create_development_authority, issue_development_certificate
from motcua.signing.tests.conftest import document

from .conftest import at

DESK = "ttpvhcc-thanhsen"
OFFICER = "motcua.thanhsen"
RESIDENCE = "1.004222"  # Đăng ký thường trú: 0 the declaration, 1 the proof of lawful residence (required)
BINH = ApplicantIn(
    name="Trần Văn Bình",
    id_number="042090001234",
    address="Tổ 3, phường Thành Sen",
    phone="0912345678",
    email="binh@example.vn",
)
CUC = ApplicantIn(name="Lê Thị Cúc", id_number="042090005678", phone="0912000111")


@dataclass
class Earlier:
    """An earlier dossier: the proof of residence scanned and signed, the declaration scanned only."""

    dossier: Dossier
    signed: StoredFile  # the officer's signed copy of the proof of residence
    unsigned: StoredFile  # the declaration: scanned, never signed


@pytest.fixture
def officer_certificate(people):
    # Valid from mid-2025 for two years: tests that freeze the clock in late 2025 sign with it too.
    issued = at("2025-06-01 00:00")
    authority = create_development_authority(name="CA thử nghiệm", now=issued)
    return issue_development_certificate(authority=authority, user=people[OFFICER], now=issued)


def residence_intake(
    applicant: ApplicantIn = BINH, *, proof: str = "Hợp đồng thuê nhà", **overrides
) -> IntakeIn:
    values = dict(
        procedure_code=RESIDENCE,
        applicant=applicant,
        provided=[0, 1],
        uploads=[
            Upload(
                name="to-khai.pdf", content=document(f"Tờ khai CT01 – {applicant.name}"), document_position=0
            ),
            Upload(name="cho-o.pdf", content=document(f"{proof} – {applicant.name}"), document_position=1),
        ],
    )
    values.update(overrides)
    return IntakeIn(**values)


def _signed(people, dossier: Dossier) -> Earlier:
    proof = dossier.files.get(original_name="cho-o.pdf")
    # Signed now (the certificate is valid now), whatever day the dossier was received.
    signed = services.sign_file(code=dossier.code, file_id=proof.pk, actor=people[OFFICER])
    return Earlier(dossier=dossier, signed=signed, unsigned=dossier.files.get(original_name="to-khai.pdf"))


def received_earlier(
    people, points, applicant: ApplicantIn = BINH, when: str = "2025-10-06 09:00"
) -> Earlier:
    """Đăng ký thường trú received at the counter, its proof of residence signed by the officer."""
    dossier = services.receive_dossier(
        data=residence_intake(applicant), point=points[DESK], actor=people[OFFICER], now=at(when)
    )
    return _signed(people, dossier)


def filed_online_earlier(people, points, citizen: User, applicant: ApplicantIn = BINH) -> Earlier:
    """The same, filed online by `citizen`, accepted at the desk, then signed by the officer."""
    submitted = services.submit_online(
        data=residence_intake(applicant, proof="Sổ đỏ", delivery="online"),
        point=points[DESK],
        citizen=citizen,
        now=at("2025-10-06 20:00"),
    )
    services.accept_submission(code=submitted.code, actor=people[OFFICER], now=at("2025-10-07 08:30"))
    return _signed(people, submitted)


def returned_with_result(people, points, applicant: ApplicantIn = BINH) -> StoredFile:
    """A certified copy settled on the spot (2.000815): returned at once, with its result file."""
    dossier = services.handle_on_the_spot(
        data=IntakeIn(
            procedure_code="2.000815",
            applicant=applicant,
            provided=[0, 1],
            uploads=[
                Upload(name="ban-sao.pdf", content=document("Bản sao bằng tốt nghiệp"), document_position=1)
            ],
        ),
        point=points[DESK],
        actor=people[OFFICER],
        results=[
            Upload(name="ban-sao-chung-thuc.pdf", content=document("Bản sao chứng thực bằng tốt nghiệp"))
        ],
        now=at("2025-10-08 09:00"),
    )
    return dossier.files.get(original_name="ban-sao-chung-thuc.pdf")
