"""The demo's dossiers: a working day in every status, through the real services, loaded once."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from motcua.catalog.importing import import_catalog
from motcua.core.demo import ANNOUNCED_DIR, CATALOG_FILES, DemoReport
from motcua.dossiers.applicant_documents import applicant_documents
from motcua.dossiers.demo import ID_PREFIX, load_demo_dossiers
from motcua.dossiers.lifecycle import CLOCK_RUNNING, Status
from motcua.dossiers.models import (
    Apology,
    Dossier,
    DossierEvent,
    DossierStep,
    FileKind,
    StepStatus,
    StoredFile,
    SupplementRequest,
)
from motcua.dossiers.selectors import horizon
from motcua.dossiers.services.reuse import applicant_of
from motcua.feedback.models import Rating
from motcua.org.access import scope_for
from motcua.org.importing import import_org
from motcua.reports import periods
from motcua.reports.measures import MEASURES, Inputs
from motcua.reports.results import results
from motcua.signing.models import FileSignature, SignaturePurpose, SignatureStatus
from motcua.workdays.models import OfficeCalendar
from motcua.workdays.services import import_announcement_file

from .conftest import ROOT, at

NOW = at("2025-11-20 10:00")  # a Thursday
STATUSES = {
    Status.RETURNED,
    Status.IN_PROGRESS,
    Status.WAITING_SUPPLEMENT,
    Status.NEEDS_COMPLETION,
    Status.REFUSED,
    Status.STOPPED,
    Status.SUBMITTED,
    Status.RESULT_READY,
}
OPEN_STEPS = [StepStatus.ACTIVE, StepStatus.PENDING]


def _import(path) -> None:
    result = import_catalog(json.loads(path.read_text(encoding="utf-8")))
    assert result.ok, result.errors


@pytest.fixture
def demo(db, settings, tmp_path, monkeypatch) -> list[str]:
    """The demo province (organisation, catalog, calendar, the citizen `congdan`) and its dossiers at NOW."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(timezone, "now", lambda: NOW)  # pages and services see the same moment
    _import(CATALOG_FILES[0])
    import_org(json.loads((ROOT / "org/data/demo_province.json").read_text(encoding="utf-8")))
    _import(CATALOG_FILES[1])
    OfficeCalendar.objects.create(code="hatinh", name="Hà Tĩnh", unit_code="42", is_default=True)
    for path in sorted(ANNOUNCED_DIR.glob("*.json")):
        import_announcement_file(path=path)
    get_user_model().objects.create_user("congdan", password="x", full_name="Nguyễn Thị Dân")
    return load_demo_dossiers(now=NOW)


def _demo() -> list[Dossier]:
    found = Dossier.objects.filter(applicant__id_number__startswith=ID_PREFIX)
    return list(found.prefetch_related("steps", "events", "supplement_requests"))


def test_the_demo_has_dossiers_in_every_status_of_a_working_day(demo):
    dossiers = _demo()
    running = [d for d in dossiers if d.status in CLOCK_RUNNING]
    soon_until = horizon(NOW).soon_until

    assert 60 <= len(dossiers) <= 120 and f"{len(dossiers)} demo dossiers created" in demo[0]
    assert {d.status for d in dossiers} == STATUSES
    assert any(d.due_at < NOW for d in running), "nothing late"
    assert any(NOW <= d.due_at <= soon_until for d in running), "nothing due soon"
    assert {d.outcome for d in dossiers if d.status == Status.RETURNED} >= {"early", "on_time", "late"}
    apology = Apology.objects.get()
    assert apology.new_due_at > apology.previous_due_at and apology.dossier.due_at == apology.new_due_at
    answered = SupplementRequest.objects.filter(stage="processing", answered_at__isnull=False)
    assert answered.filter(dossier__status=Status.IN_PROGRESS).exists(), "no supplement answered"
    assert SupplementRequest.objects.filter(stage="processing", answered_at__isnull=True).exists()
    assert Rating.objects.filter(dossier__in=dossiers).count() >= 5
    assert any(e.data.get("on_the_spot") for d in dossiers for e in d.events.all())
    assert any(d.steps.filter(branch="bhyt").exists() for d in dossiers), "no inter-agency dossier"
    submitted = [d for d in dossiers if d.status == Status.SUBMITTED]
    assert all(d.citizen.get_username() == "congdan" for d in submitted)


def test_every_demo_dossier_has_the_events_and_steps_of_its_status(demo):
    for dossier in _demo():
        events = sorted(dossier.events.all(), key=lambda e: (e.at, e.pk))
        steps = list(dossier.steps.all())
        open_steps = [s for s in steps if s.status in OPEN_STEPS]
        assert events, dossier.code
        assert NOW - dt.timedelta(days=80) < events[0].at and events[-1].at <= NOW, dossier.code
        assert events[-1].to_status == dossier.status, (dossier.code, events[-1].action)
        if dossier.status in (Status.SUBMITTED, Status.NEEDS_COMPLETION):
            assert not steps and dossier.received_at is None, dossier.code
        elif dossier.status == Status.IN_PROGRESS:
            assert any(s.status == StepStatus.ACTIVE and s.role != "counter_officer" for s in steps)
        elif dossier.status == Status.WAITING_SUPPLEMENT:
            assert any(r.answered_at is None for r in dossier.supplement_requests.all()), dossier.code
        elif dossier.status == Status.RESULT_READY:
            assert [s.role for s in open_steps] == ["counter_officer"], dossier.code
        else:  # ended: returned, refused or stopped
            assert not open_steps and dossier.finished_at is not None, dossier.code
        if dossier.status in (Status.REFUSED, Status.STOPPED):
            assert events[-1].comment, dossier.code  # the reasons


def test_loading_the_demo_again_adds_nothing(demo):
    def counts() -> list[int]:
        return [model.objects.count() for model in (Dossier, DossierEvent, DossierStep, SupplementRequest)]

    before = counts()
    report = DemoReport()

    again = load_demo_dossiers(report, now=NOW + dt.timedelta(days=3))

    assert again == [f"dossiers: {len(_demo())} demo dossiers already there"]
    assert not report.changed and report.lines == again
    assert counts() == before


def test_the_board_and_the_work_lists_show_the_demo_dossiers(demo):
    late = Dossier.objects.filter(
        applicant__id_number__startswith=ID_PREFIX, status__in=CLOCK_RUNNING, due_at__lt=NOW
    )
    client = Client()
    for username, url in (
        ("giamdoc.thanhsen", "/can-bo/bang-dieu-hanh/"),
        ("giamdoc.ttpvhcc", "/can-bo/bang-dieu-hanh/"),
        ("cv.tuphap.thanhsen", "/can-bo/viec-cua-toi/"),
        ("motcua.thanhsen", "/can-bo/viec-cua-toi/"),
    ):
        user = get_user_model().objects.get(username=username)
        client.force_login(user)
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, (username, url)
        assert any(d.code in body for d in _demo()), (username, url)
    client.force_login(get_user_model().objects.get(username="giamdoc.thanhsen"))
    board = client.get("/can-bo/bang-dieu-hanh/").content.decode()
    assert any(d.code in board for d in late.filter(receiving_point__code="ttpvhcc-thanhsen"))


def test_a_returning_applicant_reuses_the_scan_the_counter_officer_signed(demo):
    reused = StoredFile.objects.select_related("dossier", "reused_from__dossier").get(
        kind=FileKind.REUSED, dossier__applicant__id_number__startswith=ID_PREFIX
    )
    later, source = reused.dossier, reused.reused_from
    earlier = source.dossier
    signature = FileSignature.objects.get(file=source, purpose=SignaturePurpose.SCAN)
    citizen = get_user_model().objects.get(username="congdan")

    assert earlier.status == Status.RETURNED and earlier.applicant_id == later.applicant_id
    assert signature.status == SignatureStatus.VALID
    assert signature.certificate.user.get_username() == "motcua.thanhsen"
    signed_at = earlier.events.get(action="sign_file").at
    assert earlier.received_at < signed_at < earlier.finished_at < later.submitted_at <= NOW
    assert reused.sha256 == source.sha256 and reused.document.provided
    assert any(e.data.get("reused") for e in later.events.all())
    # Filed online, where the ID number is only typed: the counter's look-up by ID number and name does
    # not list them; the citizen's account does.
    panel = applicant_documents(applicant_of(later))
    assert later.citizen == citizen and source.sha256 not in {d.sha256 for d in panel}
    client = Client()
    client.force_login(citizen)  # the demo citizen filed both: her page lists the scan, where last used
    mine = client.get("/ca-nhan/giay-to/").content.decode()
    assert source.original_name in mine and later.code in mine


def test_the_demo_measures_the_reuse_of_digitised_documents(demo):
    leader = get_user_model().objects.get(username="giamdoc.thanhsen")
    month = periods.month(2025, 11)
    dossiers = Dossier.objects.all()

    measured = MEASURES["data_reuse"](Inputs(scope_for(leader), dossiers, month, results(dossiers, month)))

    assert measured.numerator >= 1 and measured.denominator > measured.numerator
