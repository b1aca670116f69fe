"""E-receipts signed with the collecting agency's seal: queued with the payment, signed once by the task or
the sweeper, served signed by the three downloads; no seal or no TSA never touches the payment."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from motcua.api.tests.conftest import Staff
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, DossierEvent, FileKind, StoredFile
from motcua.payments import services
from motcua.payments.models import DossierFees, Payment, PaymentStatus
from motcua.payments.receipts import render_receipt
from motcua.payments.services.receipt_signing import Outcome, sign_receipt
from motcua.payments.tasks import sign_receipt_task
from motcua.signing import selectors as signing_selectors
from motcua.signing import services as signing
from motcua.signing.models import Certificate, FileSignature, SignaturePurpose, SignatureStatus
from motcua.signing.tests.test_longterm import dead_url
from motcua.signing.verify import verify_pdf

from .conftest import pay_online, residence_online, staff_client

API = "/api/v1/payments"


@pytest.fixture
def authority(db):
    return signing.create_development_authority(name="CA thử nghiệm")


def seal_of(authority, dossier: Dossier) -> Certificate:
    return signing.issue_development_certificate(authority=authority, agency=dossier.lead_agency)


def queued(payment: Payment) -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(
            task_path=sign_receipt_task.module_path, args_kwargs__args=[payment.pk], status="READY"
        )
    )


def run_queued(payment: Payment) -> list[str]:
    """Run the signing tasks queued for `payment` as a worker would (the task's own function)."""
    return [sign_receipt_task.call(*task.args_kwargs["args"]) for task in queued(payment)]


def collect(dossier: Dossier, people) -> Payment:
    return services.collect_fee(code=dossier.code, actor=people["motcua.tuphap"], method="cash")


def signed_bytes(payment: Payment) -> bytes:
    payment.refresh_from_db()
    with payment.receipt_file.file.open("rb") as stored:
        return stored.read()


def test_a_counter_payment_ends_with_a_receipt_sealed_by_the_collecting_agency(dossier, people, authority):
    seal = seal_of(authority, dossier)

    payment = collect(dossier, people)
    assert len(queued(payment)) == 1  # queued in the payment's own transaction
    assert run_queued(payment) == [Outcome.SIGNED]

    payment.refresh_from_db()
    data = signed_bytes(payment)
    assert payment.receipt_signed_at is not None and payment.receipt_sign_error == ""
    assert payment.receipt_file.kind == FileKind.RECEIPT and payment.receipt_file.dossier_id == dossier.pk
    # The signature is an incremental update of the receipt rendered from the payment's own data.
    assert data.startswith(render_receipt(payment))
    report = verify_pdf(data, trust_roots=signing_selectors.trust_roots(), now=timezone.now())
    [check] = report.signatures
    assert check.fingerprint == seal.fingerprint and check.status == SignatureStatus.VALID
    assert check.intact and check.trusted and check.covers_whole_file
    [recorded] = FileSignature.objects.filter(file=payment.receipt_file)
    assert (recorded.purpose, recorded.certificate, recorded.status) == (
        SignaturePurpose.RECEIPT,
        seal,
        SignatureStatus.VALID,
    )
    event = DossierEvent.objects.get(dossier=dossier, action=Action.SIGN_RECEIPT)
    assert event.data["receipt"] == payment.receipt and event.data["certificate"] == seal.fingerprint


def test_the_three_downloads_serve_the_same_signed_bytes(people, points, authority):
    filed = residence_online(people, points)
    seal_of(authority, filed)
    payment = services.collect_fee(code=filed.code, actor=people["motcua.thanhsen"], method="cash")
    run_queued(payment)
    data = signed_bytes(payment)
    args = [filed.code, payment.receipt_symbol, payment.receipt_number]

    desk = staff_client(people["motcua.thanhsen"]).get(reverse("payments:receipt", args=args))
    own = staff_client(people["citizen"]).get(reverse("payments:own_receipt", args=args))
    api = Staff(people)["motcua.thanhsen"].get(f"{API}/dossiers/{filed.code}/receipts/{args[1]}/{args[2]}")
    fees = Staff(people)["motcua.thanhsen"].get(f"{API}/dossiers/{filed.code}")

    assert [r.status_code for r in (desk, own, api)] == [200, 200, 200]
    assert desk.content == own.content == api.content == data
    assert data != render_receipt(payment)
    [listed] = fees.json()["payments"]
    signed_at = dt.datetime.fromisoformat(listed["receipt_signed_at"])
    assert abs(signed_at - payment.receipt_signed_at) < dt.timedelta(milliseconds=1)  # JSON keeps ms
    page = staff_client(people["motcua.thanhsen"]).get(reverse("dossiers:dossier", args=[filed.code]))
    assert "receipt-signed" in page.content.decode() and filed.lead_agency.name in page.content.decode()


def test_no_seal_leaves_the_receipt_unsigned_with_its_reason_and_the_payment_whole(dossier, people):
    payment = collect(dossier, people)

    assert run_queued(payment) == [Outcome.UNSIGNED]

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.amount_vnd == 150_000
    assert DossierFees.objects.get(dossier=dossier).paid_vnd == 150_000
    assert payment.receipt_signed_at is None and payment.receipt_file is None
    assert payment.receipt_sign_error == "agency_has_no_seal" and payment.receipt_sign_message
    assert not StoredFile.objects.filter(kind=FileKind.RECEIPT).exists()
    assert DossierEvent.objects.filter(dossier=dossier, action=Action.RECEIPT_NOT_SIGNED).count() == 1
    args = [dossier.code, payment.receipt_symbol, payment.receipt_number]
    desk = staff_client(people["motcua.tuphap"]).get(reverse("payments:receipt", args=args))
    assert desk.status_code == 200 and desk.content == render_receipt(payment)
    fees = Staff(people)["motcua.tuphap"].get(f"{API}/dossiers/{dossier.code}").json()
    assert fees["payments"][0]["receipt_signed_at"] is None
    page = staff_client(people["motcua.tuphap"]).get(reverse("dossiers:dossier", args=[dossier.code]))
    html = page.content.decode()
    assert "receipt-unsigned" in html and payment.receipt_sign_message in html


def test_the_sweeper_signs_once_a_seal_exists_and_signs_once(dossier, people, authority):
    payment = collect(dossier, people)
    run_queued(payment)
    out = io.StringIO()
    call_command("payments_sign_receipts", stdout=out, stderr=io.StringIO())
    assert "signed: 0; not signed: 1" in out.getvalue()
    # A failure again for the same reason is not recorded twice on the dossier.
    assert DossierEvent.objects.filter(dossier=dossier, action=Action.RECEIPT_NOT_SIGNED).count() == 1

    seal = seal_of(authority, dossier)
    first, second = io.StringIO(), io.StringIO()
    call_command("payments_sign_receipts", stdout=first)
    call_command("payments_sign_receipts", stdout=second)

    assert "signed: 1; not signed: 0" in first.getvalue()
    assert "signed: 0; not signed: 0" in second.getvalue()
    payment.refresh_from_db()
    assert payment.receipt_signed_at is not None and payment.receipt_sign_error == ""
    assert FileSignature.objects.filter(certificate=seal).count() == 1
    assert StoredFile.objects.filter(kind=FileKind.RECEIPT).count() == 1
    assert DossierEvent.objects.filter(dossier=dossier, action=Action.SIGN_RECEIPT).count() == 1


def test_an_online_confirmation_also_leads_to_a_signed_receipt(online, people, points, authority):
    filed = residence_online(people, points)
    seal = seal_of(authority, filed)

    payment = pay_online(filed, people["citizen"], timezone.now())

    assert payment.status == PaymentStatus.PAID and len(queued(payment)) == 1
    assert run_queued(payment) == [Outcome.SIGNED]
    payment.refresh_from_db()
    [recorded] = FileSignature.objects.filter(file=payment.receipt_file)
    assert recorded.certificate == seal and recorded.status == SignatureStatus.VALID


def test_the_task_running_twice_signs_once(dossier, people, authority):
    seal_of(authority, dossier)
    payment = collect(dossier, people)
    [task] = queued(payment)

    outcomes = [sign_receipt_task.call(*task.args_kwargs["args"]) for _ in range(2)]

    assert outcomes == [Outcome.SIGNED, Outcome.ALREADY]
    assert FileSignature.objects.count() == 1
    assert StoredFile.objects.filter(kind=FileKind.RECEIPT).count() == 1


def test_an_expired_seal_or_a_silent_tsa_leaves_it_unsigned_and_the_next_run_signs(
    settings, dossier, people, authority
):
    seal_of(authority, dossier)
    payment = collect(dossier, people)
    settings.MOTCUA = {**settings.MOTCUA, "SIGNING_TSA_URL": dead_url(), "SIGNING_TSA_TIMEOUT": 2}

    assert sign_receipt(payment.pk) == Outcome.UNSIGNED
    payment.refresh_from_db()
    assert payment.receipt_sign_error == "tsa_unavailable" and payment.receipt_signed_at is None
    assert not FileSignature.objects.exists()

    later = timezone.now() + dt.timedelta(days=365 * 30)
    assert sign_receipt(payment.pk, now=later) == Outcome.UNSIGNED
    payment.refresh_from_db()
    assert payment.receipt_sign_error == "certificate_expired"

    settings.MOTCUA = {**settings.MOTCUA, "SIGNING_TSA_URL": ""}
    assert sign_receipt(payment.pk) == Outcome.SIGNED
    assert list(
        DossierEvent.objects.filter(
            dossier=dossier, action__in=[Action.RECEIPT_NOT_SIGNED, Action.SIGN_RECEIPT]
        )
        .values_list("action", flat=True)
        .order_by("pk")
    ) == [Action.RECEIPT_NOT_SIGNED, Action.RECEIPT_NOT_SIGNED, Action.SIGN_RECEIPT]


def test_a_payment_rolled_back_leaves_no_signing_task(dossier, people):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        collect(dossier, people)
        raise RuntimeError("the desk's transaction fails after the payment")

    assert not Payment.objects.exists()
    assert not DBTaskResult.objects.filter(task_path=sign_receipt_task.module_path).exists()


def test_sealing_in_the_background_does_not_make_the_officer_s_open_page_stale(dossier, people, authority):
    seal_of(authority, dossier)
    payment = collect(dossier, people)
    version = Dossier.objects.get(pk=dossier.pk).version  # what the officer's page holds after the payment

    assert run_queued(payment) == [Outcome.SIGNED]

    # The event is there, and the version her next action is checked against is the same.
    assert DossierEvent.objects.filter(dossier=dossier, action=Action.SIGN_RECEIPT).exists()
    assert Dossier.objects.get(pk=dossier.pk).version == version


def test_the_seal_is_applied_before_any_row_is_locked(dossier, people, authority, monkeypatch):
    """A slow timestamp authority must not hold the dossier: signing first, then a short locked write."""
    from motcua.payments.services import receipt_signing

    seal_of(authority, dossier)
    payment = collect(dossier, people)
    calls: list[str] = []
    real_seal, real_locked = receipt_signing._seal, receipt_signing._locked

    def seal(*args, **kwargs):
        calls.append("seal")
        return real_seal(*args, **kwargs)

    def locked(*args, **kwargs):
        calls.append("lock")
        return real_locked(*args, **kwargs)

    monkeypatch.setattr(receipt_signing, "_seal", seal)
    monkeypatch.setattr(receipt_signing, "_locked", locked)
    assert sign_receipt(payment.pk) == Outcome.SIGNED
    assert calls == ["seal", "lock"]
