"""Shared set-up of the staff page tests: a frozen clock, dossiers made through the services, htmx."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierStep, StepStatus

from .conftest import at, birth_bundle

HTMX = {"HTTP_HX_REQUEST": "true"}
# A working Tuesday morning; dossiers received a week earlier are in progress and due soon or late.
NOW = at("2025-11-11 09:30")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """Freeze "now" for pages and services alike (both read django.utils.timezone.now)."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


def receive(people, points, when: str = "2025-11-10 09:00", **overrides) -> Dossier:
    """Receive the birth bundle at the Thành Sen commune centre, through the service."""
    return services.receive_dossier(
        data=birth_bundle(**overrides),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at(when),
    )


def active_step(dossier: Dossier, branch: str = "") -> DossierStep:
    return dossier.steps.get(status=StepStatus.ACTIVE, branch=branch)


def test_the_support_module_freezes_time(clock):
    assert timezone.now() == NOW
