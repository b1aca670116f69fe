"""Portal personas: the demo province through the real importers, a citizen, dossiers through services."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests import conftest as dossier_fixtures
from motcua.dossiers.tests.conftest import at, birth_bundle, pdf

__all__ = ["at", "birth_bundle", "pdf"]

# The demo province, its staff personas and service points, built through the real importers.
province = dossier_fixtures.province
people = dossier_fixtures.people
points = dossier_fixtures.points


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploads and results go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Look-up failure counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def citizen(people):
    return people["citizen"]


@pytest.fixture
def citizen_client(citizen) -> Client:
    client = Client()
    client.force_login(citizen)
    return client


@pytest.fixture
def filed(citizen, points) -> Dossier:
    """An online birth-bundle dossier filed by the citizen, waiting for the desk."""
    return services.submit_online(
        data=birth_bundle(), point=points["ttpvhcc-thanhsen"], citizen=citizen, now=at("2025-11-03 09:00")
    )


@pytest.fixture
def accepted(filed, people) -> Dossier:
    """The same dossier accepted by the desk officer and transferred to the handling agency."""
    return services.accept_submission(
        code=filed.code, actor=people["motcua.thanhsen"], now=at("2025-11-03 09:30")
    )


@pytest.fixture
def stranger_client(people) -> Client:
    client = Client()
    client.force_login(people["stranger"])
    return client


def htmx(**headers: str) -> dict[str, str]:
    """Headers of an htmx request, for the test client."""
    return {"HTTP_HX_REQUEST": "true", **{f"HTTP_{k.upper()}": v for k, v in headers.items()}}
