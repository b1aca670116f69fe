"""Signing test set-up: the demo province's personas, a development CA, a seal, an officer's certificate."""

from __future__ import annotations

import io

import pytest
from fpdf import FPDF

# Stored files in the test's own folder, rate-limit counters from zero: as in the API tests.
from motcua.api.tests.conftest import _isolated  # noqa: F401 (an autouse fixture)
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier, StepStatus
from motcua.dossiers.pdf.document import font_path
from motcua.dossiers.tests import conftest as dossier_fixtures
from motcua.dossiers.tests.conftest import at, birth_bundle, pdf
from motcua.dossiers.uploads import Upload
from motcua.org.models import Agency
from motcua.signing import services

__all__ = ["at", "birth_bundle", "document", "finish_steps", "pdf", "png", "receive"]

province = dossier_fixtures.province
people = dossier_fixtures.people
points = dossier_fixtures.points

# Who completes each agency's steps of the birth bundle.
HOLDERS = {"H42.50.01": "ct.thanhsen", "H42.30.01": "ld.ca.thanhsen", "H42.32": "ld.bhxh"}


def document(text: str = "Giấy khai sinh – bản chính") -> bytes:
    """A small real PDF with Vietnamese text, as an agency's software would send it."""
    sheet = FPDF()
    sheet.add_page()
    sheet.add_font("serif", "", font_path(""))
    sheet.set_font("serif", size=14)
    sheet.cell(text=text)
    return bytes(sheet.output())


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def authority(db):
    return services.create_development_authority(name="CA thử nghiệm")


@pytest.fixture
def seal(authority, province):
    return services.issue_development_certificate(
        authority=authority, agency=Agency.objects.get(code="H42.50.01")
    )


@pytest.fixture
def officer_certificate(authority, people):
    return services.issue_development_certificate(authority=authority, user=people["motcua.thanhsen"])


def finish_steps(dossier: Dossier, people) -> Dossier:
    """Complete every processing step of the birth bundle, leaving the return at the desk."""
    while step := dossier.steps.filter(status=StepStatus.ACTIVE).exclude(role="counter_officer").first():
        holder = people[HOLDERS[step.agency.code]]
        dossier_services.complete_step(
            code=dossier.code, step_id=step.pk, actor=holder, now=at("2025-11-05 09:00")
        )
    dossier.refresh_from_db()
    return dossier


def receive(people, points, **overrides) -> Dossier:
    """The birth bundle received at the Thành Sen desk, with real PDF scans."""
    uploads = [
        Upload(name="to-khai.pdf", content=document("Tờ khai đăng ký khai sinh"), document_position=0),
        Upload(name="giay-chung-sinh.jpg", content=png(), document_position=1),
    ]
    return dossier_services.receive_dossier(
        data=birth_bundle(uploads=uploads, **overrides),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-03 09:00"),
    )


@pytest.fixture
def ready(people, points) -> Dossier:
    """A dossier whose processing is done, to be returned online: the result is next."""
    return finish_steps(receive(people, points, delivery="online"), people)
