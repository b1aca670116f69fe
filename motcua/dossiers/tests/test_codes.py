from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from motcua.core.errors import Conflict
from motcua.dossiers import services
from motcua.dossiers.codes import LOOKUP_ALPHABET, format_code, new_lookup_secret
from motcua.dossiers.models import Dossier

from .conftest import at, birth_bundle


def test_the_2025_layout_puts_the_agency_first_and_the_owner_before_the_sequence():
    code = format_code(
        agency_code="H42.50.01", day=dt.date(2026, 1, 25), sequence=7, layout="2025", owner_id="01"
    )

    assert code == "H42.50.01-260125-010007"


def test_the_2018_layout_has_exactly_four_sequence_digits():
    assert format_code(
        agency_code="000.00.01.H12", day=dt.date(2025, 7, 1), sequence=1, layout="2018", owner_id="01"
    ) == ("000.00.01.H12-250701-0001")
    with pytest.raises(Conflict):
        format_code(
            agency_code="000.00.01.H12", day=dt.date(2025, 7, 1), sequence=10000, layout="2018", owner_id="01"
        )


def test_the_2025_sequence_grows_past_four_digits():
    code = format_code(
        agency_code="H42", day=dt.date(2026, 3, 2), sequence=12345, layout="2025", owner_id="07"
    )

    assert code.endswith("-0712345")


def test_look_up_secrets_are_random_and_avoid_ambiguous_letters():
    secrets = {new_lookup_secret() for _ in range(200)}

    assert len(secrets) == 200
    assert all(set(s) <= set(LOOKUP_ALPHABET) and len(s) == 10 for s in secrets)
    assert not set("01IO") & set(LOOKUP_ALPHABET)


def test_each_day_starts_a_new_sequence(people, points):
    kwargs = {"data": birth_bundle(), "point": points["ttpvhcc-thanhsen"], "actor": people["motcua.thanhsen"]}
    first = services.receive_dossier(**kwargs, now=at("2025-11-03 09:00"))
    second = services.receive_dossier(**kwargs, now=at("2025-11-03 09:10"))
    next_day = services.receive_dossier(**kwargs, now=at("2025-11-04 09:00"))

    assert [first.code[-6:], second.code[-6:], next_day.code[-6:]] == ["010001", "010002", "010001"]
    assert next_day.code != first.code


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_desks_never_hand_out_the_same_code(people, points):
    if connection.vendor != "postgresql":
        pytest.skip("real row locks need PostgreSQL")
    errors: list[BaseException] = []
    codes: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(6)

    def desk() -> None:
        try:
            start.wait()
            for _ in range(5):
                dossier = services.receive_dossier(
                    data=birth_bundle(),
                    point=points["ttpvhcc-thanhsen"],
                    actor=people["motcua.thanhsen"],
                    now=at("2025-11-03 09:00"),
                )
                with lock:
                    codes.append(dossier.code)
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    assert len(codes) == len(set(codes)) == 30
    assert sorted(int(c[-4:]) for c in codes) == list(range(1, 31))
    assert Dossier.objects.count() == 30
