"""Personas and a small province, built through the real import services once per test."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from motcua.catalog.importing import import_catalog
from motcua.dossiers.services import ApplicantIn, IntakeIn
from motcua.dossiers.uploads import Upload
from motcua.org.importing import import_org
from motcua.org.models import ServicePoint

ROOT = Path(__file__).resolve().parents[2]
VN = ZoneInfo("Asia/Ho_Chi_Minh")
PROCEDURES = {"2.002621", "2.001610", "1.004222", "2.000815", "1.013978", "1.003197"}


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def province(db):
    fields = import_catalog(_read(ROOT / "catalog/data/fields.json"))
    assert fields.ok, fields.errors
    import_org(_read(ROOT / "org/data/demo_province.json"))
    catalog = _read(ROOT / "catalog/data/demo_procedures.json")
    catalog["procedures"] = [p for p in catalog["procedures"] if p["code"] in PROCEDURES]
    report = import_catalog(catalog)
    assert report.ok, report.errors


@pytest.fixture
def people(province):
    users = get_user_model().objects
    names = [
        "motcua.thanhsen",
        "cv.tuphap.thanhsen",
        "ct.thanhsen",
        "ca.thanhsen",
        "ld.ca.thanhsen",
        "cv.bhxh",
        "ld.bhxh",
        "motcua.tuphap",
        "motcua.thachha",
        "cv.dkkd",
        "tp.dkkd",
        "giamdoc.thanhsen",
        "cv.datdai",
    ]
    found = {u.username: u for u in users.filter(username__in=names)}
    found["citizen"] = users.create_user("0987000111", password="x", full_name="Nguyễn Thị Dân")
    found["stranger"] = users.create_user("stranger", password="x")
    return found


@pytest.fixture
def points(province):
    return {p.code: p for p in ServicePoint.objects.all()}


def at(text: str) -> dt.datetime:
    """Return a moment in Vietnam time, e.g. at("2025-11-03 09:00")."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def pdf(name: str = "scan.pdf", position: int | None = None) -> Upload:
    return Upload(name=name, content=PDF, document_position=position)


def birth_bundle(**overrides) -> IntakeIn:
    """The inter-agency birth – residence – health-insurance dossier for a newborn."""
    values = dict(
        procedure_code="2.002621",
        applicant=ApplicantIn(
            name="Trần Văn Bình",
            id_number="042090001234",
            address="Tổ 3, phường Thành Sen",
            phone="0912345678",
            email="binh@example.vn",
        ),
        provided=[0, 1, 3],
        uploads=[pdf("to-khai.pdf", 0), pdf("giay-chung-sinh.pdf", 1)],
        form_data={"child_name": "Trần Gia An", "child_birth_date": "2025-10-28"},
    )
    values.update(overrides)
    return IntakeIn(**values)
