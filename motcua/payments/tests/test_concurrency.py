"""Real row locks: receipt numbers stay gap-free with many desks; gateway refunds are paid once."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from motcua.dossiers.models import Dossier
from motcua.payments import services
from motcua.payments.models import DossierFees, Payment, Refund, RefundRequest

from .conftest import at, business, paid_online_then_refused


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_desks_collecting_at_once_never_share_or_skip_a_receipt_number(people, points):
    if connection.vendor != "postgresql":
        pytest.skip("real row locks need PostgreSQL")
    dossiers = [business(people, points, "2025-11-03 08:00") for _ in range(30)]
    officers = [people["motcua.tuphap"], people["motcua.datdai"]]
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def desk(number: int) -> None:
        try:
            start.wait()
            for dossier in dossiers[number::6]:
                services.collect_fee(
                    code=dossier.code, actor=officers[number % 2], method="cash", now=at("2025-11-03 09:00")
                )
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    numbers = sorted(Payment.objects.values_list("receipt_number", flat=True))
    assert numbers == list(range(1, 31))
    assert set(Payment.objects.values_list("receipt_symbol", flat=True)) == {"BL-25E"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_refunding_at_once_through_the_gateway_pay_once(people, points, gateway, clock):
    if connection.vendor != "postgresql":
        pytest.skip("real row locks need PostgreSQL")
    dossier = paid_online_then_refused(people, points, gateway, "2025-11-03 08:00")
    gateway.delay = 0.5  # both requests are in flight together
    results: list[object] = []
    start = threading.Barrier(2)

    def officer(user) -> None:
        try:
            start.wait()
            results.append(services.refund_through_gateway(code=dossier.code, actor=user, reason="Từ chối"))
        except BaseException as exc:  # collected: the second may find nothing left to refund
            results.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=officer, args=(people[n],)) for n in ("motcua.tuphap", "motcua.datdai")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    refund = Refund.objects.get()  # one refund recorded
    for result in results:
        assert result == refund or getattr(result, "code", "") == "nothing_paid", result
    refund_ids = {fields["refund_id"] for path, fields in gateway.received if path == "/refund"}
    assert refund_ids == {f"{refund.payment.order_id}-1"}  # the same request: the gateway pays once
    assert list(gateway.orders[refund.payment.order_id]["refunds"].values()) == [refund.reference]
    assert DossierFees.objects.get(dossier=dossier).refunded_vnd == 150_000
    assert RefundRequest.objects.get().status == "refunded"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_dossier_is_not_locked_while_the_gateway_is_asked_for_a_refund(people, points, gateway, clock):
    if connection.vendor != "postgresql":
        pytest.skip("real row locks need PostgreSQL")
    dossier = paid_online_then_refused(people, points, gateway, "2025-11-03 08:00")
    gateway.delay = 1.0
    done: list[object] = []

    def officer() -> None:
        try:
            done.append(
                services.refund_through_gateway(code=dossier.code, actor=people["motcua.tuphap"], reason="x")
            )
        finally:
            connection.close()

    thread = threading.Thread(target=officer)
    thread.start()
    while not any(path == "/refund" for path, _fields in gateway.received):
        time.sleep(0.02)
    # The gateway is holding its answer: the dossier's row is free for anyone else meanwhile.
    with transaction.atomic():
        locked = Dossier.objects.select_for_update(nowait=True).get(pk=dossier.pk)
    thread.join()

    assert locked.pk == dossier.pk
    assert done and isinstance(done[0], Refund)
