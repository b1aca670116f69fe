"""The certificate watch: expiry warnings once per threshold, expired once, revocation found and told, the
notice at the top of the staff pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.notify.models import OutboxMessage
from motcua.org.models import Agency
from motcua.signing import certificates as certs
from motcua.signing import services, tokens
from motcua.signing.longterm import Options
from motcua.signing.models import Certificate, Standing
from motcua.signing.services.watch import watch_certificates

from .test_longterm import dead_url
from .test_longterm_dossiers import _x509, crl_seal, server  # noqa: F401 (fixtures)

NOW = timezone.now()
VN = dt.timezone(dt.timedelta(hours=7))
DAYS = (30, 7, 1)
SOFT = Options(revocation="soft", revocation_timeout=2)
WORK = "/can-bo/viec-cua-toi/"
BOARD = "/can-bo/bang-dieu-hanh/"


def _issue(
    authority, *, days: int, agency: Agency | None = None, user=None, crl_url: str = ""
) -> Certificate:
    """A certificate valid for `days` from NOW (issued a day before), kept as the owner's active one."""
    credential = certs.issue_certificate(
        services.authority_credential(authority),
        common_name=agency.name.upper() if agency else user.full_name,
        now=NOW,
        days=days,
        crl_url=crl_url,
    )
    return services.add_certificate(credential=credential, agency=agency, user=user, now=NOW)


def _in_token(authority, *, days: int, user) -> Certificate:
    """A personal certificate whose key stays in a PKCS#11 token: only its certificate is in the DB."""
    issued = certs.issue_certificate(
        services.authority_credential(authority), common_name=user.full_name, now=NOW, days=days
    )
    token = tokens.TokenKey("So TP-01", key_label="ky-so", key_id=b"\x01")
    credential = tokens.TokenCredential(token=token, certificate=issued.certificate, chain=issued.chain)
    return services.add_certificate(credential=credential, user=user, now=NOW)


def _told(kind: str) -> list[tuple[str, str]]:
    rows = OutboxMessage.objects.filter(kind=kind, channel="email").order_by("recipient", "source")
    return [(row.recipient, row.source) for row in rows]


@pytest.fixture
def thanhsen(province) -> Agency:
    return Agency.objects.get(code="H42.50.01")


def _local(day: str, hour: int = 6) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=VN)


def test_each_threshold_counts_working_days_and_is_sent_once_across_runs(authority, thanhsen):
    # Ends at midnight before Monday 11 January 2027; 1 January (a Friday) is New Year's Day off.
    issued = _local("2027-01-01", hour=0)
    credential = certs.issue_certificate(
        services.authority_credential(authority), common_name="SEAL", now=issued, days=10
    )
    seal = services.add_certificate(credential=credential, agency=thanhsen, now=issued)
    assert seal.valid_to == _local("2027-01-11", hour=0)

    def warned(*days: str) -> set[str]:
        for day in days:
            watch_certificates(now=_local(day), days=DAYS)
        return {source.rsplit(":", 1)[1] for _r, source in _told("certificate_expiring")}

    # 30 working days before: Friday 27 November (44 calendar days), not the Thursday before.
    assert warned("2026-11-23", "2026-11-26") == set()
    assert warned("2026-11-27", "2026-11-27", "2026-11-28", "2026-11-30") == {"30d"}
    # 7 working days: Wednesday 30 December, as New Year's Day does not count.
    assert warned("2026-12-29") == {"30d"}
    assert warned("2026-12-30", "2026-12-31") == {"30d", "7d"}
    # 1 working day: Friday 8 January, the last day at the office before it ends, not the Sunday.
    assert warned("2027-01-07") == {"30d", "7d"}
    assert warned("2027-01-08", "2027-01-09", "2027-01-10") == {"30d", "7d", "1d"}

    sources = [source for _r, source in _told("certificate_expiring")]
    leaders = {recipient for recipient, _s in _told("certificate_expiring")}
    assert len(sources) == 3 * len(leaders)  # one message per person per threshold, never repeated
    seal.refresh_from_db()
    assert seal.expiry_warned_days == 1
    mail = OutboxMessage.objects.filter(source__endswith=":1d").first()
    assert mail is not None and "ngưỡng cảnh báo 1 ngày làm việc" in mail.body


def test_a_certificate_crossing_several_thresholds_at_once_is_told_the_tightest(authority, thanhsen):
    seal = _issue(authority, days=6, agency=thanhsen)

    report = watch_certificates(now=NOW, days=DAYS)

    assert report.warned == [f"{seal} · 7d"]
    assert {source for _r, source in _told("certificate_expiring")} == {f"certificate:{seal.pk}:expiring:7d"}


def test_a_seal_tells_its_agencys_leaders_and_the_province_admins_only(authority, thanhsen, people):
    seal = _issue(authority, days=20, agency=thanhsen)

    watch_certificates(now=NOW, days=DAYS)

    told = {recipient for recipient, _s in _told("certificate_expiring")}
    assert told == {people["ct.thanhsen"].email, "quantri@hatinh.example.vn"}
    mail = OutboxMessage.objects.filter(
        kind="certificate_expiring", recipient=people["ct.thanhsen"].email
    ).get()
    assert f"Chứng thư số cơ quan của {thanhsen.name} hết hạn lúc" in mail.body
    assert seal.serial in mail.body and "không ký số được" in mail.body
    assert (
        "Nhập chứng thư số .p12" in mail.body and f"/admin/signing/certificate/{seal.pk}/change/" in mail.body
    )
    assert mail.subject.startswith(f"[MotCua] Chứng thư số của {thanhsen.name} sắp hết hạn")


def test_a_personal_certificate_in_a_token_tells_the_officer_and_her_agencys_leaders(authority, people):
    officer = people["motcua.thanhsen"]
    certificate = _in_token(authority, days=3, user=officer)

    watch_certificates(now=NOW, days=DAYS)

    told = {recipient for recipient, _s in _told("certificate_expiring")}
    assert certificate.key_storage == "pkcs11"
    assert told == {officer.email, people["ct.thanhsen"].email}  # not the province admins, nor Thạch Hà's
    mail = OutboxMessage.objects.get(kind="certificate_expiring", recipient=officer.email)
    assert "Chứng thư số cá nhân của Võ Thị Thu" in mail.body and "nhân dân phường Thành Sen" in mail.body


def test_an_expired_certificate_is_reported_once(authority, thanhsen):
    seal = _issue(authority, days=40, agency=thanhsen)

    first = watch_certificates(now=seal.valid_to + dt.timedelta(hours=1), days=DAYS)
    again = watch_certificates(now=seal.valid_to + dt.timedelta(days=1), days=DAYS)

    assert first.expired == [f"{seal} · 0d"] and again.expired == []
    assert {source for _r, source in _told("certificate_expired")} == {f"certificate:{seal.pk}:expired"}
    assert not OutboxMessage.objects.filter(kind="certificate_expiring").exists()
    mail = OutboxMessage.objects.filter(kind="certificate_expired").first()
    assert mail is not None and "đã hết hạn" in mail.subject


def test_an_inactive_certificate_is_left_alone(authority, thanhsen):
    seal = _issue(authority, days=5, agency=thanhsen)
    services.deactivate_certificate(certificate=seal, actor=None)

    assert watch_certificates(now=NOW, days=DAYS).warned == []
    assert OutboxMessage.objects.count() == 0


def test_a_revoked_seal_is_found_recorded_and_told_once(crl_seal, server, people):  # noqa: F811
    server.revoked.append((_x509(crl_seal), NOW - dt.timedelta(hours=1)))
    signed_before = list(crl_seal.signatures.values_list("status", flat=True))

    first = watch_certificates(options=SOFT, days=DAYS)
    again = watch_certificates(options=SOFT, days=DAYS)

    assert first.revoked == [str(crl_seal)] and again.revoked == [] and first.checked == 1
    assert "GET /crl" in server.requests
    crl_seal.refresh_from_db()
    assert crl_seal.standing == Standing.REVOKED and crl_seal.revoked_at is not None
    assert crl_seal.standing_checked_at is not None and crl_seal.is_active
    told = {recipient for recipient, _s in _told("certificate_revoked")}
    assert told == {people["ct.thanhsen"].email, "quantri@hatinh.example.vn"}
    assert len(_told("certificate_revoked")) == 2
    mail = OutboxMessage.objects.filter(kind="certificate_revoked").first()
    assert mail is not None and "đã bị thu hồi" in mail.subject and "không bị thay đổi" in mail.body
    assert list(crl_seal.signatures.values_list("status", flat=True)) == signed_before


def test_a_cas_crl_is_fetched_once_for_all_the_certificates_it_covers(crl_seal, server, authority):  # noqa: F811
    other = Agency.objects.exclude(pk=crl_seal.agency_id).order_by("pk").first()
    second = _issue(authority, days=400, agency=other, crl_url=server.crl_url)
    server.revoked.append((_x509(second), NOW - dt.timedelta(hours=1)))
    before = len(server.requests)

    report = watch_certificates(options=SOFT, days=DAYS)

    assert report.checked == 2 and report.revoked == [str(second)] and report.unknown == []
    assert server.requests[before:].count("GET /crl") == 1  # a province's CA covers hundreds of them
    crl_seal.refresh_from_db()
    assert crl_seal.standing == Standing.GOOD


def test_a_good_certificate_is_recorded_as_checked_without_a_message(crl_seal, server):  # noqa: F811
    report = watch_certificates(options=SOFT, days=DAYS)

    crl_seal.refresh_from_db()
    assert report.revoked == [] and report.unknown == [] and crl_seal.standing == Standing.GOOD
    assert OutboxMessage.objects.count() == 0


def test_a_ca_that_does_not_answer_is_could_not_check_in_soft_mode_without_a_message(
    authority, thanhsen, people
):
    dead = dead_url("/crl")
    seal = _issue(authority, days=400, agency=thanhsen, crl_url=dead)
    # The same dead CRL again, in the same run: "could not check" too, not taken for good.
    personal = _issue(authority, days=400, user=people["cv.tuphap.thanhsen"], crl_url=dead)

    report = watch_certificates(options=SOFT, days=DAYS)

    seal.refresh_from_db()
    personal.refresh_from_db()
    assert len(report.unknown) == 2 and report.revoked == []
    assert seal.standing == Standing.UNKNOWN and seal.standing_checked_at is not None
    assert personal.standing == Standing.UNKNOWN
    assert OutboxMessage.objects.count() == 0


def test_with_revocation_off_no_ca_is_asked(crl_seal, server):  # noqa: F811
    server.revoked.append((_x509(crl_seal), NOW))
    before = len(server.requests)

    report = watch_certificates(options=Options(), days=DAYS)

    assert report.revocation_off and server.requests[before:] == []
    crl_seal.refresh_from_db()
    assert crl_seal.standing == ""


def test_the_command_prints_what_it_found(authority, thanhsen, capsys, settings):
    settings.MOTCUA = {**settings.MOTCUA, "SIGNING_EXPIRY_WARN_DAYS": "30,7,1", "SIGNING_REVOCATION": "off"}
    _issue(authority, days=10, agency=thanhsen)

    call_command("signing_watch_certificates")
    call_command("signing_watch_certificates")

    out = capsys.readouterr().out
    assert out.count("expiring: 1; expired: 0") == 1 and "expiring: 0; expired: 0" in out
    assert "revocation not checked" in out


def test_the_notice_shows_to_the_seals_leader_and_not_to_an_unrelated_specialist(
    client, authority, thanhsen, people
):
    _issue(authority, days=10, agency=thanhsen)
    text = f"Chứng thư số cơ quan của {thanhsen.name} hết hạn ngày"

    client.force_login(people["ct.thanhsen"])
    assert text in client.get(WORK).content.decode()
    client.force_login(people["cv.tuphap.thanhsen"])  # a specialist of the same agency: not her seal
    assert text not in client.get(WORK).content.decode()
    client.force_login(people["cv.dkkd"])
    assert text not in client.get(WORK).content.decode()


def test_the_board_shows_the_notice_to_the_centre_director_and_the_admin_link_to_admins(
    client, authority, thanhsen, people
):
    seal = _issue(authority, days=40, agency=thanhsen)
    Certificate.objects.filter(pk=seal.pk).update(standing=Standing.REVOKED)

    client.force_login(people["giamdoc.thanhsen"])
    board = client.get(BOARD).content.decode()
    assert f"Chứng thư số cơ quan của {thanhsen.name} đã bị tổ chức cấp thu hồi" in board
    assert f"/admin/signing/certificate/{seal.pk}/change/" not in board  # not allowed in the admin

    admin = people["ct.thanhsen"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    assert f"/admin/signing/certificate/{seal.pk}/change/" in client.get(WORK).content.decode()


def test_an_officer_sees_her_own_expiring_certificate(client, authority, people):
    officer = people["motcua.thanhsen"]
    _in_token(authority, days=5, user=officer)

    client.force_login(officer)
    assert "Chứng thư số cá nhân của Võ Thị Thu hết hạn ngày" in client.get(WORK).content.decode()
