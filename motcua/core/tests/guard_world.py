"""A small province for the route guard, built once per test module through the real services.

The rows live inside one transaction opened for the module; each test runs in a savepoint of it (the
`db` fixture) and the whole is rolled back at the end, so the other tests of the worker never see them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings

from motcua.catalog.importing import import_catalog
from motcua.core.models import User
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, FileKind, StepStatus
from motcua.dossiers.tests.conftest import PDF, PROCEDURES, ROOT, _read, at, birth_bundle, pdf
from motcua.feedback.models import Feedback
from motcua.feedback.services import submit_feedback
from motcua.feedback.services.ratings import rate_dossier
from motcua.feedback.tests.conftest import RATE_ALL, finish, regulation
from motcua.org.importing import import_org
from motcua.org.models import ServicePoint
from motcua.payments import services as payments

STAFF = [
    "motcua.thanhsen",  # counter officer, Thành Sen commune centre (unit A's desk)
    "cv.tuphap.thanhsen",  # specialist, Thành Sen justice division (unit A)
    "ct.thanhsen",  # chairman of the Thành Sen committee (unit A's leader)
    "motcua.thachha",  # counter officer of another commune centre
    "motcua.tuphap",  # counter officer of the provincial centre
    "cv.dkkd",  # specialist of the Department of Finance (another agency)
    "giamdoc.thanhsen",  # director of the Thành Sen centre
]


@dataclass
class World:
    people: dict[str, User]
    dossier: Dossier  # received at unit A's desk, at its first step
    filed: Dossier  # filed online by the citizen, waiting for the desk
    own: Dossier  # the citizen's, paid at the desk, ended with a result
    paid: Dossier  # a business registration at the provincial centre, paid at its desk
    feedback: Feedback  # a question to the Thành Sen committee, with an attachment
    values: dict[str, dict[str, Any]] = field(default_factory=dict)

    def refresh(self) -> None:
        for dossier in (self.dossier, self.filed, self.own, self.paid):
            dossier.refresh_from_db()


def _province() -> None:
    fields = import_catalog(_read(ROOT / "catalog/data/fields.json"))
    assert fields.ok, fields.errors
    import_org(_read(ROOT / "org/data/demo_province.json"))
    catalog = _read(ROOT / "catalog/data/demo_procedures.json")
    catalog["procedures"] = [p for p in catalog["procedures"] if p["code"] in PROCEDURES]
    assert import_catalog(catalog).ok


def _people() -> dict[str, User]:
    users = get_user_model().objects
    found: dict[str, User] = {u.username: u for u in users.filter(username__in=STAFF)}
    assert set(found) == set(STAFF)
    found["citizen"] = users.create_user("0987000111", password="x", full_name="Nguyễn Thị Dân")
    found["stranger"] = users.create_user("0987000222", password="x", full_name="Lê Văn Lạ")
    found["root"] = users.create_superuser("root", password="x")
    return found


def _every_handler() -> dict[str, User]:
    """Everyone holding a role, so that `finish` finds someone for each step."""
    users = get_user_model().objects.filter(staff_roles__isnull=False).distinct()
    return {u.username: u for u in users}


def _own(people: dict[str, User], point: ServicePoint) -> Dossier:
    """A residence registration the citizen filed online: accepted, paid at the desk, ended."""
    filed = services.submit_online(
        data=birth_bundle(procedure_code="1.004222", provided=[0, 1], uploads=[pdf("to-khai.pdf", 0)]),
        point=point,
        citizen=people["citizen"],
        now=at("2025-11-03 08:00"),
    )
    desk = people["motcua.thanhsen"]
    services.accept_submission(code=filed.code, actor=desk, now=at("2025-11-03 08:30"))
    payments.collect_fee(code=filed.code, actor=desk, method="cash", now=at("2025-11-03 08:40"))
    ended = finish(filed, _every_handler(), "2025-11-04 10:00")
    rate_dossier(
        code=ended.code, level="satisfied", answers=RATE_ALL, channel="lookup", secret=ended.lookup_secret
    )
    return ended


def build() -> World:
    _province()
    people = _people()
    points = {p.code: p for p in ServicePoint.objects.all()}
    thanhsen = points["ttpvhcc-thanhsen"]
    dossier = services.receive_dossier(
        data=birth_bundle(), point=thanhsen, actor=people["motcua.thanhsen"], now=at("2025-11-03 09:00")
    )
    filed = services.submit_online(
        data=birth_bundle(), point=thanhsen, citizen=people["citizen"], now=at("2025-11-03 10:00")
    )
    paid = services.receive_dossier(
        data=birth_bundle(procedure_code="2.001610", provided=[0, 1]),
        point=points["ttpvhcc-tinh"],
        actor=people["motcua.tuphap"],
        now=at("2025-11-03 09:00"),
    )
    payments.collect_fee(
        code=paid.code, actor=people["motcua.tuphap"], method="cash", now=at("2025-11-03 09:10")
    )
    feedback = submit_feedback(data=regulation(files=[pdf("anh-chup.pdf")]))
    world = World(
        people=people, dossier=dossier, filed=filed, own=_own(people, thanhsen), paid=paid, feedback=feedback
    )
    world.values = _values(world)
    return world


def _receipt(dossier: Dossier) -> dict[str, Any]:
    payment = dossier.payments.exclude(receipt_number=None).get()
    return {"symbol": payment.receipt_symbol, "number": payment.receipt_number}


def _values(w: World) -> dict[str, dict[str, Any]]:
    """Path parameters per kind of object: the values fill the route's address."""
    scan = w.dossier.files.filter(kind=FileKind.SCAN).order_by("pk").first()
    step = w.dossier.steps.get(status=StepStatus.ACTIVE)
    result = w.own.files.get(kind=FileKind.RESULT)
    assert scan is not None
    return {
        "dossier": {
            "code": w.dossier.code,
            "file_id": scan.pk,
            "step_id": step.pk,
            "name": "receipt",
            "form_name": "receipt",
            "slug": "tu-choi",
        },
        "filed": {"code": w.filed.code, "dossier": w.filed.code},
        "own": {"code": w.own.code, "sha256": result.sha256, **_receipt(w.own)},
        "own_document": {"sha256": result.sha256, "file_id": result.pk},  # a result is hers to reuse
        "paid": {"code": w.paid.code, "refund_id": "0", **_receipt(w.paid)},
        "feedback": {
            "code": w.feedback.code,
            "file_id": w.feedback.files.get().pk,
            "slug": "nhan",
        },
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    media = Path(tmp_path_factory.mktemp("guard-media"))
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


__all__ = ["PDF", "World", "world"]
