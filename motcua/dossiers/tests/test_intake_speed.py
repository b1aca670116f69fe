"""Receiving stays cheap: what it caches, what it reads again every time, and its query budget."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from motcua.catalog.choices import Status
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.parts import clear_version_parts_cache, version_parts
from motcua.catalog.selectors import read_content, version_for_filing, version_in_force
from motcua.catalog.services.versions import amend_procedure
from motcua.catalog.spec import DocumentSpec
from motcua.core.errors import NotFound
from motcua.dossiers import services
from motcua.dossiers.codes import next_sequence
from motcua.dossiers.models import Dossier
from motcua.org.models import Agency
from motcua.workdays.models import AnnouncedDay

from .conftest import at, birth_bundle

MONDAY = at("2025-11-03 09:00")


@pytest.fixture(autouse=True)
def _no_parts_from_other_tests():
    clear_version_parts_cache()
    yield
    clear_version_parts_cache()


def _applicant(number: int) -> services.ApplicantIn:
    return dataclasses.replace(birth_bundle().applicant, id_number=f"0420900{number:05d}")


def _receive(people, points, *, number: int = 1, now: dt.datetime = MONDAY, **overrides) -> Dossier:
    data = birth_bundle(applicant=_applicant(number), uploads=[], **overrides)
    return services.receive_dossier(
        data=data, point=points["ttpvhcc-thanhsen"], actor=people["motcua.thanhsen"], now=now
    )


def _committed(django_capture_on_commit_callbacks, receive) -> Dossier:
    """Receive and run what waits for the commit, as a committed transaction would."""
    with django_capture_on_commit_callbacks(execute=True):
        return receive()


def test_receiving_a_dossier_stays_within_its_query_budget(
    people, points, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    _committed(django_capture_on_commit_callbacks, lambda: _receive(people, points, number=1))

    with django_assert_max_num_queries(25):
        _receive(people, points, number=2)


def test_a_published_versions_parts_come_from_memory_after_a_commit(
    people, points, django_assert_num_queries, django_capture_on_commit_callbacks
):
    _committed(django_capture_on_commit_callbacks, lambda: _receive(people, points))
    version = version_in_force("2.002621", MONDAY)

    with django_assert_num_queries(0):
        parts = version_parts(version)

    assert [d.position for d in parts.documents] == [d.position for d in version.documents.all()]
    assert [s.pk for s in parts.steps] == [s.pk for s in version.steps.all()]
    assert parts.level_ids == {level.pk for level in version.levels.all()}


def test_parts_read_in_a_transaction_that_rolls_back_are_not_remembered(
    people, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        version_parts(version_in_force("2.002621", MONDAY))
        raise RuntimeError("roll back")

    assert callbacks == []
    with CaptureQueriesContext(connection) as read:
        version_parts(version_in_force("2.002621", MONDAY))
    assert any("catalog_requireddocument" in q["sql"] for q in read.captured_queries)


def test_a_draft_is_read_afresh_every_time(people, django_capture_on_commit_callbacks):
    current = version_in_force("2.002621", MONDAY)
    draft = amend_procedure(
        procedure=current.procedure, content=read_content(current), effective_from=dt.date(2026, 1, 1)
    )
    assert draft.status == Status.DRAFT
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        version_parts(ProcedureVersion.objects.get(pk=draft.pk))

    assert callbacks == []
    with CaptureQueriesContext(connection) as read:
        version_parts(ProcedureVersion.objects.get(pk=draft.pk))
    assert any("catalog_requireddocument" in q["sql"] for q in read.captured_queries)


def test_a_newly_published_version_in_force_is_used_at_once(
    people, points, django_capture_on_commit_callbacks
):
    first = _committed(django_capture_on_commit_callbacks, lambda: _receive(people, points, number=1))
    current = version_in_force("2.002621", MONDAY)
    extra = DocumentSpec(name="Giấy xác nhận mới", form="copy", copies=1, required=False)
    content = read_content(current)
    amended = amend_procedure(
        procedure=current.procedure,
        content=dataclasses.replace(content, documents=(*content.documents, extra)),
        effective_from=dt.date(2025, 11, 4),
        status=Status.PUBLISHED,
    )

    second = _committed(
        django_capture_on_commit_callbacks,
        lambda: _receive(people, points, number=2, now=at("2025-11-04 09:00")),
    )

    assert first.procedure_version_id == current.pk
    assert second.procedure_version_id == amended.pk != current.pk
    assert [d.name for d in second.documents.order_by("position")][-1] == "Giấy xác nhận mới"
    assert first.documents.count() == len(content.documents)
    assert set(second.documents.values_list("requirement__version", flat=True)) == {amended.pk}


def test_a_new_local_agency_takes_the_steps_of_the_next_dossier(
    people, points, django_capture_on_commit_callbacks
):
    first = _committed(django_capture_on_commit_callbacks, lambda: _receive(people, points, number=1))
    police = first.steps.filter(branch="cu-tru").order_by("position")[0].agency
    # Same sector and commune, a code that sorts first: local_agency now picks it.
    newcomer = Agency.objects.create(
        code="H42.30.00", name="Công an xã (mới)", kind=police.kind, sector=police.sector, unit=police.unit
    )

    second = _committed(django_capture_on_commit_callbacks, lambda: _receive(people, points, number=2))

    assert {s.agency_id for s in second.steps.filter(branch="cu-tru")} == {newcomer.pk}
    police.is_active = False
    police.save()
    newcomer.is_active = False
    newcomer.save()
    third = _committed(django_capture_on_commit_callbacks, lambda: _receive(people, points, number=3))
    assert police.pk not in {s.agency_id for s in third.steps.filter(branch="cu-tru")}
    assert newcomer.pk not in {s.agency_id for s in third.steps.filter(branch="cu-tru")}


def test_a_day_off_announced_between_two_dossiers_moves_the_second_appointment(
    people, points, django_capture_on_commit_callbacks
):
    first = _committed(django_capture_on_commit_callbacks, lambda: _receive(people, points, number=1))
    AnnouncedDay.objects.create(date=dt.date(2025, 11, 5), kind="day_off", name="Nghỉ đột xuất")

    second = _committed(django_capture_on_commit_callbacks, lambda: _receive(people, points, number=2))

    assert second.due_at - first.due_at == dt.timedelta(days=1)


def test_a_receipt_takes_the_calendar_from_the_cache(people, points, django_capture_on_commit_callbacks):
    _committed(django_capture_on_commit_callbacks, lambda: _receive(people, points, number=1))

    with CaptureQueriesContext(connection) as receipt:
        _receive(people, points, number=2)

    # The reference token (read once for every cache) says the calendar tables have not changed.
    assert not [q for q in receipt.captured_queries if "workdays_" in q["sql"]]
    assert sum("core_referencestamp" in q["sql"] for q in receipt.captured_queries) == 1


def test_a_known_applicant_is_found_and_updated_not_duplicated(people, points):
    first = _receive(people, points, number=7)
    changed = dataclasses.replace(_applicant(7), phone="0987654321", email="")
    second = services.receive_dossier(
        data=birth_bundle(applicant=changed, uploads=[]),
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=MONDAY,
    )

    assert second.applicant_id == first.applicant_id
    second.applicant.refresh_from_db()
    assert (second.applicant.phone, second.applicant.email) == ("0987654321", "binh@example.vn")


def test_a_number_taken_in_a_rolled_back_transaction_is_given_again(db):
    day = dt.date(2025, 11, 3)
    assert next_sequence(prefix="test:A", day=day) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_sequence(prefix="test:A", day=day) == 2
        assert next_sequence(prefix="test:B", day=day) == 1
        raise RuntimeError("roll back")

    assert next_sequence(prefix="test:A", day=day) == 2
    assert next_sequence(prefix="test:B", day=day) == 1
    assert next_sequence(prefix="test:A", day=day + dt.timedelta(days=1)) == 1


def test_the_version_for_a_filing_is_the_version_in_force(people):
    current = version_in_force("2.002621", MONDAY)
    amended = amend_procedure(
        procedure=current.procedure,
        content=read_content(current),
        effective_from=dt.date(2026, 1, 1),
        status=Status.PUBLISHED,
    )
    days = [dt.date(2025, 12, 31), dt.date(2026, 1, 1), dt.date(2030, 1, 1), dt.date(1990, 1, 1)]

    for day in days:
        for code in ("2.002621", "1.004222", "9.999999"):
            try:
                expected: object = version_in_force(code, day).pk
            except NotFound as exc:
                expected = exc.code
            try:
                found: object = version_for_filing(code, day).pk
            except NotFound as exc:
                found = exc.code
            assert found == expected, (code, day)
    assert version_for_filing("2.002621", dt.date(2026, 1, 1)).pk == amended.pk
