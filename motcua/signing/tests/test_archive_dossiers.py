"""Archive timestamps of stored files: made when a result is sealed, renewed by `signing_renew_archive`."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, DossierEvent, StoredFile
from motcua.portal.selectors.dossiers import result_files
from motcua.signing import certificates as certs
from motcua.signing import longterm, selectors, services
from motcua.signing.devserver import AuthorityServer
from motcua.signing.models import ArchiveTimestamp, FileSignature
from motcua.signing.services.archive import Outcome, renew_archive, renew_due_archives
from motcua.signing.verify import verify_pdf

from .test_longterm import dead_url
from .test_longterm_dossiers import _configure, _seal_result, crl_seal, server

__all__ = ["crl_seal", "server"]  # fixtures: a seal whose certificate names the CRL of the test CA

EXPIRING = "TSA sắp hết hạn"
NEW = "TSA mới"


def _server(authority, name: str, days: int) -> AuthorityServer:
    credential = services.authority_credential(authority)
    tsa = certs.issue_timestamp_certificate(credential, common_name=name, now=timezone.now(), days=days)
    return AuthorityServer(credential, tsa=tsa)


@pytest.fixture
def expiring(authority):
    """A TSA whose certificate expires in 40 days, within the 90 days before which archives are renewed."""
    with _server(authority, EXPIRING, 40) as running:
        yield running


@pytest.fixture
def renewing(authority):
    with _server(authority, NEW, 3650) as running:
        yield running


@pytest.fixture
def sealed(settings, ready, people, crl_seal, expiring) -> StoredFile:
    """A result sealed B-LTA with the expiring TSA; then the province moved to a new TSA."""
    _configure(settings, tsa_url=expiring.tsa_url, revocation="hard")
    copy = _seal_result(ready, people)
    return copy


def _events(dossier: Dossier) -> list[DossierEvent]:
    return list(dossier.events.filter(action=Action.RENEW_ARCHIVE))


def test_a_sealed_result_is_b_lta_and_its_archive_timestamp_is_recorded(sealed, expiring):
    [signature] = sealed.signatures.all()
    [archive] = sealed.archive_timestamps.all()

    assert signature.status == "valid" and signature.details["level"] == "B-LTA"
    assert signature.timestamp_valid_to == expiring.tsa.certificate.not_valid_after_utc
    assert archive.trusted and archive.authority == EXPIRING and archive.renews is None
    assert archive.authority_valid_to == expiring.tsa.certificate.not_valid_after_utc


def test_renewal_stores_a_new_file_beside_the_old_one_and_serves_it(settings, sealed, renewing, people):
    _configure(settings, tsa_url=renewing.tsa_url)
    dossier = sealed.dossier
    before = sealed.file.open("rb").read()
    version = Dossier.objects.get(pk=dossier.pk).version

    sweep = renew_due_archives()

    [copy] = sweep.renewed
    assert sealed.file.open("rb").read() == before and StoredFile.objects.filter(pk=sealed.pk).exists()
    renewed = copy.file.open("rb").read()
    assert renewed.startswith(before) and copy.sha256 != sealed.sha256
    assert (copy.kind, copy.original_name) == (sealed.kind, sealed.original_name)
    [signature] = copy.signatures.all()
    assert signature.source_file_id == sealed.pk and signature.status == "valid"
    assert signature.certificate_id == sealed.signatures.get().certificate_id  # who signed stays known
    assert [(a.authority, a.renews_id) for a in copy.archive_timestamps.all()] == [
        (EXPIRING, None),
        (NEW, sealed.pk),
    ]
    assert [f.pk for f in result_files(dossier)] == [copy.pk]  # the citizen downloads the renewed copy
    [event] = _events(dossier)
    assert event.public and event.actor is None and event.data["file_id"] == copy.pk
    assert event.data["source_file_id"] == sealed.pk and event.data["authority"] == NEW
    assert "đã được gia hạn" in event.comment
    assert Dossier.objects.get(pk=dossier.pk).version == version  # nobody with the page open must reload
    report = verify_pdf(renewed, trust_roots=selectors.trust_roots(), now=timezone.now())
    assert report.status == "valid" and [a.trusted for a in report.archive] == [True, True]


def test_renewal_is_idempotent(settings, sealed, renewing):
    _configure(settings, tsa_url=renewing.tsa_url)
    renew_due_archives()
    files = StoredFile.objects.count()

    again = renew_due_archives()
    direct = renew_archive(sealed.pk, options=longterm.configured())

    assert again.renewed == [] and StoredFile.objects.count() == files
    assert direct.outcome == Outcome.ALREADY and len(_events(sealed.dossier)) == 1
    requests = len(renewing.requests)
    call_command("signing_renew_archive", stdout=io.StringIO())
    assert len(renewing.requests) == requests  # not even asked


def test_a_file_whose_tsa_certificate_does_not_expire_soon_is_left_alone(
    settings, ready, people, seal, renewing
):
    _configure(settings, tsa_url=renewing.tsa_url, revocation="hard")
    copy = _seal_result(ready, people)
    files = StoredFile.objects.count()

    sweep = renew_due_archives()
    settings.MOTCUA = {**settings.MOTCUA, "SIGNING_ARCHIVE_RENEW_DAYS": 3700}
    later = renew_due_archives()

    assert sweep.renewed == [] and StoredFile.objects.count() - len(later.renewed) == files
    assert [c.signatures.get().source_file_id for c in later.renewed] == [copy.pk]  # within 3700 days: due


def test_a_file_stored_before_expiries_were_recorded_is_read_once_and_renewed(settings, sealed, renewing):
    FileSignature.objects.filter(file=sealed).update(timestamp_valid_to=None)
    ArchiveTimestamp.objects.filter(file=sealed).delete()
    _configure(settings, tsa_url=renewing.tsa_url)

    sweep = renew_due_archives()

    assert len(sweep.renewed) == 1
    assert sealed.archive_timestamps.get().authority == EXPIRING  # learned from the file itself


def test_a_tsa_that_does_not_answer_renews_nothing(settings, sealed):
    _configure(settings, tsa_url=dead_url(), tsa_timeout=2)
    files = StoredFile.objects.count()
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(SystemExit) as exited:
        call_command("signing_renew_archive", stdout=out, stderr=err)

    assert exited.value.code == 1 and "tsa_unavailable" in err.getvalue()
    assert "renewed: 0; failed: 1" in out.getvalue()
    assert StoredFile.objects.count() == files and _events(sealed.dossier) == []


def test_an_archive_whose_tsa_certificate_has_expired_is_reported_too_late(settings, sealed, renewing):
    _configure(settings, tsa_url=renewing.tsa_url)
    later = timezone.now() + dt.timedelta(days=41)

    outcome = renew_archive(sealed.pk, options=longterm.configured(), now=later)

    assert outcome.outcome == Outcome.TOO_LATE and renewing.requests == []


def test_without_a_tsa_or_revocation_checks_nothing_is_done_and_the_command_says_why(settings, sealed):
    _configure(settings, tsa_url="", revocation="hard")
    no_tsa = io.StringIO()
    call_command("signing_renew_archive", stdout=no_tsa)
    _configure(settings, tsa_url="http://127.0.0.1:9/tsa", revocation="off")
    no_revocation = io.StringIO()
    call_command("signing_renew_archive", stdout=no_revocation)

    assert "nothing done: Chưa cấu hình máy chủ cấp dấu thời gian" in no_tsa.getvalue()
    assert "Chưa bật kiểm tra tình trạng thu hồi" in no_revocation.getvalue()
    assert _events(sealed.dossier) == []
