"""E-receipt numbers stay unique and gap-free while many desks collect at once (real row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from motcua.payments import services
from motcua.payments.models import Payment

from .conftest import at, business


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
