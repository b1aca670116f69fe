"""Idempotency-Key: a repeated write replays its first answer and the operation runs once."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from motcua.api.idempotency import purge_idempotency_records
from motcua.api.models import IdempotencyRecord
from motcua.dossiers.models import Dossier, DossierEvent

from .conftest import birth_json

BASE = "/api/v1/dossiers"


def test_a_repeated_intake_replays_the_first_answer_and_makes_one_dossier(staff, clock):
    desk = staff["motcua.thanhsen"]

    first = desk.post(BASE, birth_json(), key="intake-42")
    clock.set("2025-11-03 09:05")
    second = desk.post(BASE, birth_json(), key="intake-42")

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.content == first.content
    assert Dossier.objects.count() == 1 and DossierEvent.objects.filter(action="receive").count() == 1
    record = IdempotencyRecord.objects.get()
    assert (record.method, record.path, record.status) == ("POST", BASE, 201)


def test_a_repeated_operation_does_not_act_twice(staff, clock):
    created = staff["motcua.thanhsen"].post(BASE, birth_json()).json()
    step = next(s for s in created["steps"] if s["status"] == "active")
    path = f"{BASE}/{created['code']}/steps/{step['id']}/complete"
    specialist = staff["cv.tuphap.thanhsen"]

    first = specialist.post(path, {"comment": "Đạt"}, key="done-1")
    again = specialist.post(path, {"comment": "Đạt"}, key="done-1")
    fresh = specialist.post(path, {"comment": "Đạt"}, key="done-2")

    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    assert (fresh.status_code, fresh.json()["error"]["code"]) == (409, "step_not_active")


def test_a_key_reused_for_another_request_is_a_422(staff, clock):
    desk = staff["motcua.thanhsen"]
    desk.post(BASE, birth_json(), key="same")

    other_body = desk.post(BASE, birth_json(sets=2), key="same")
    other_path = desk.post(f"{BASE}/multipart", {}, key="same")

    assert other_body.status_code == 422
    assert other_body.json()["error"]["code"] == "idempotency_key_reused"
    assert other_path.status_code == 422 and Dossier.objects.count() == 1


def test_a_token_client_must_send_a_key_and_a_session_may_omit_it(staff, clock, people):
    desk = staff["motcua.thanhsen"]
    without = desk.client.post(BASE, birth_json(), content_type="application/json", **desk.auth)
    browser = Client()
    browser.force_login(people["motcua.thanhsen"])
    by_session = browser.post(BASE, birth_json(), content_type="application/json")

    assert (without.status_code, without.json()["error"]["code"]) == (422, "idempotency_key_required")
    assert by_session.status_code == 201
    assert IdempotencyRecord.objects.count() == 0


def test_a_refused_request_is_not_remembered_so_its_key_serves_the_fixed_one(staff, clock):
    desk = staff["motcua.thanhsen"]

    refused = desk.post(BASE, birth_json(provided=[0]), key="retry-me")
    fixed = desk.post(BASE, birth_json(), key="retry-me")

    assert (refused.status_code, fixed.status_code) == (422, 201)
    assert IdempotencyRecord.objects.get().status == 201


def test_keys_belong_to_one_user(staff, clock):
    first = staff["motcua.thanhsen"].post(BASE, birth_json(), key="shared")
    other_desk = staff["motcua.thachha"].post(BASE, birth_json(service_point="ttpvhcc-thachha"), key="shared")

    assert (first.status_code, other_desk.status_code) == (201, 201)
    assert other_desk.json()["code"].startswith("H42.50.02-") and first.json()["code"].startswith(
        "H42.50.01-"
    )
    assert IdempotencyRecord.objects.filter(key="shared").count() == 2


def test_records_older_than_a_day_are_purged(staff, clock):
    desk = staff["motcua.thanhsen"]
    desk.post(BASE, birth_json(), key="old")
    clock.set("2025-11-04 10:00")
    desk.post(BASE, birth_json(), key="new")

    removed = purge_idempotency_records(now=clock.now)

    assert removed == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
    assert purge_idempotency_records(dt.timedelta(minutes=1), now=clock.now + dt.timedelta(hours=1)) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_run_the_operation_once(staff, clock, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("real row locks need PostgreSQL")
    from motcua.dossiers import services

    calls: list[str] = []
    real = services.receive_dossier

    def counted(**kwargs):
        calls.append(threading.current_thread().name)
        return real(**kwargs)

    monkeypatch.setattr(services, "receive_dossier", counted)
    desk = staff["motcua.thanhsen"]
    key = str(uuid.uuid4())
    start = threading.Barrier(4)
    answers: list[tuple[int, bytes]] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            start.wait()
            response = desk.post(BASE, birth_json(), key=key)
            answers.append((response.status_code, response.content))
        except BaseException as exc:  # re-raised below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    assert {status for status, _ in answers} == {201}
    assert len({content for _, content in answers}) == 1
    assert len(calls) == 1, calls
    assert Dossier.objects.count() == 1 and IdempotencyRecord.objects.count() == 1


def test_the_daily_command_purges_old_records(staff, clock):
    staff["motcua.thanhsen"].post(BASE, birth_json(), key="by-command")
    out = StringIO()
    clock.set("2025-11-04 08:59")
    call_command("api_purge_idempotency", stdout=out)
    assert IdempotencyRecord.objects.count() == 1  # a record stays for its day
    clock.set("2025-11-04 09:01")
    call_command("api_purge_idempotency", stdout=out)
    assert IdempotencyRecord.objects.count() == 0
    assert out.getvalue().splitlines() == ["idempotency records removed: 0", "idempotency records removed: 1"]
