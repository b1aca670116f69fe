"""Reports and public look-ups read from a replica when one is configured; nothing else does."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session

from motcua.core import replicas
from motcua.core.replicas import REPLICA, ReplicaRouter, replica_reads
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import people, province  # noqa: F401 (fixtures)

ROUTER = ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(replicas, "replica_configured", lambda: True)


def test_reads_go_to_the_replica_only_inside_replica_reads(with_replica):
    assert ROUTER.db_for_read(Dossier) is None
    with replica_reads():
        assert ROUTER.db_for_read(Dossier) == REPLICA
        assert ROUTER.db_for_write(Dossier) is None  # writes always go to the primary
        assert ROUTER.db_for_read(Session) is None  # a session just saved is read where it was written
    assert ROUTER.db_for_read(Dossier) is None


def test_without_a_replica_every_read_stays_on_the_primary():
    with replica_reads():
        assert ROUTER.db_for_read(Dossier) is None


def test_migrations_never_run_on_the_replica():
    assert ROUTER.allow_migrate(REPLICA, "dossiers") is False
    assert ROUTER.allow_migrate("default", "dossiers") is None


def _spy(monkeypatch, module, name: str) -> list[bool]:
    """Record, each time `module.name` runs, whether reads go to the replica then."""
    seen: list[bool] = []
    original = getattr(module, name)

    def spy(*args, **kwargs):
        seen.append(replicas._reading.get())
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return seen


def test_the_public_look_up_and_the_reports_read_from_the_replica(client, monkeypatch, people):  # noqa: F811
    from motcua.api import lookup as api_lookup
    from motcua.api import reports as api_reports
    from motcua.portal.views import lookup as page_lookup
    from motcua.reports import views as report_views

    looked_up = _spy(monkeypatch, page_lookup, "find_for_lookup")
    looked_up_api = _spy(monkeypatch, api_lookup, "find_for_lookup")
    reported = _spy(monkeypatch, report_views, "results")
    reported_api = _spy(monkeypatch, api_reports, "results")

    client.get("/tra-cuu/H42.50.01-251103-010001", {"secret": "ABCDEFGHJK"})
    client.get("/api/v1/lookup/H42.50.01-251103-010001", {"secret": "ABCDEFGHJK"})
    client.force_login(people["giamdoc.thanhsen"])
    client.get("/can-bo/bao-cao/")
    client.get("/api/v1/reports/results")

    assert looked_up == looked_up_api == reported == reported_api == [True]


def test_the_staff_pages_read_from_the_primary(client, monkeypatch, people):  # noqa: F811
    from motcua.dossiers.views import board

    counted = _spy(monkeypatch, board, "agency_rows")
    client.force_login(people["giamdoc.thanhsen"])

    client.get("/can-bo/bang-dieu-hanh/")

    assert counted == [False]
