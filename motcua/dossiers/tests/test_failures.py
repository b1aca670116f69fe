"""Bad input and failures halfway: a clear error and nothing half-written."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.catalog.models import Procedure
from motcua.catalog.services import abolish_procedure
from motcua.core.errors import NotFound, ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Applicant, CodeSequence, Dossier, DossierEvent, DossierStep
from motcua.dossiers.services import intake

from .conftest import at, birth_bundle


def test_an_unknown_procedure_is_refused_with_its_code(people, points):
    with pytest.raises(NotFound) as caught:
        services.receive_dossier(
            data=birth_bundle(procedure_code="9.999999"),
            point=points["ttpvhcc-thanhsen"],
            actor=people["motcua.thanhsen"],
        )

    assert caught.value.code == "procedure_not_found"


def test_an_abolished_procedure_receives_no_new_dossier(people, points):
    abolish_procedure(procedure=Procedure.objects.get(code="2.002621"), on=dt.date(2025, 11, 1))

    with pytest.raises(NotFound) as caught:
        services.receive_dossier(
            data=birth_bundle(),
            point=points["ttpvhcc-thanhsen"],
            actor=people["motcua.thanhsen"],
            now=at("2025-11-03 09:00"),
        )

    assert caught.value.code == "procedure_abolished"


def test_a_failure_halfway_through_intake_leaves_nothing_behind(people, points, monkeypatch):
    def broken_outbox(*args, **kwargs):
        raise RuntimeError("database went away")

    # Everything else is written by then: the messages are the intake's last write.
    monkeypatch.setattr(intake, "announce", broken_outbox)

    with pytest.raises(RuntimeError):
        services.receive_dossier(
            data=birth_bundle(),
            point=points["ttpvhcc-thanhsen"],
            actor=people["motcua.thanhsen"],
            now=at("2025-11-03 09:00"),
        )

    assert Dossier.objects.count() == 0
    assert DossierEvent.objects.count() == DossierStep.objects.count() == Applicant.objects.count() == 0
    assert not CodeSequence.objects.exists()  # the number is not burnt either


def test_a_postal_dossier_counts_from_its_postmark(people, points):
    data = birth_bundle(postmarked_at=at("2025-10-31 10:00"))

    dossier = services.receive_dossier(
        data=data,
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        channel="post",
        now=at("2025-11-03 09:00"),
    )

    assert dossier.status in (Status.RECEIVED, Status.IN_PROGRESS)
    assert dossier.received_at == at("2025-10-31 10:00")
    assert dossier.due_at == at("2025-11-05 10:00")


def test_a_postal_dossier_without_a_postmark_is_refused(people, points):
    with pytest.raises(ValidationFailed) as caught:
        services.receive_dossier(
            data=birth_bundle(),
            point=points["ttpvhcc-thanhsen"],
            actor=people["motcua.thanhsen"],
            channel="post",
        )

    assert "postmarked_at" in caught.value.fields
