from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from motcua.catalog.models import ProcedureVersion, ProcessStep
from motcua.catalog.selectors import version_in_force
from motcua.catalog.services import (
    abolish_procedure,
    amend_procedure,
    create_procedure,
    publish_version,
    replace_procedure,
    unpublish_version,
    update_draft,
)
from motcua.catalog.tests.factories import KHAI_SINH, content_of, record
from motcua.core.errors import Conflict, NotFound, ValidationFailed

JULY_2025 = dt.date(2025, 7, 1)
JAN_2026 = dt.date(2026, 1, 1)


@pytest.fixture
def fields(org):
    from motcua.catalog.services import save_field

    save_field(code="ho-tich", name="Hộ tịch")
    save_field(code="cu-tru", name="Cư trú")


@pytest.fixture
def birth(fields) -> ProcedureVersion:
    return create_procedure(
        code="1.001193",
        content=content_of(KHAI_SINH),
        effective_from=JULY_2025,
        decision="Quyết định 2873/QĐ-UBND",
        status="published",
    )


def amended(days: str = "1") -> dict:
    return {**KHAI_SINH, "time_limit": {"amount": days, "unit": "d", "text": f"{days} ngày làm việc"}}


def test_a_new_procedure_is_in_force_from_its_effective_date(birth):
    assert version_in_force("1.001193", JULY_2025) == birth
    assert version_in_force(birth.procedure, dt.datetime(2030, 1, 1, 9, tzinfo=dt.UTC)) == birth


def test_nothing_is_in_force_before_the_first_version(birth):
    with pytest.raises(NotFound) as caught:
        version_in_force("1.001193", dt.date(2025, 6, 30))
    assert caught.value.code == "no_version_in_force"


def test_an_unknown_code_is_not_found(birth):
    with pytest.raises(NotFound) as caught:
        version_in_force("9.999999", JULY_2025)
    assert caught.value.code == "procedure_not_found"


def test_a_moment_counts_in_vietnam_time_not_utc(birth):
    # 30/06 18:00 UTC is already 01/07 01:00 in Hà Nội.
    assert version_in_force("1.001193", dt.datetime(2025, 6, 30, 18, tzinfo=dt.UTC)) == birth


def test_a_draft_is_never_in_force(fields):
    create_procedure(code="1.001193", content=content_of(KHAI_SINH), effective_from=JULY_2025)
    with pytest.raises(NotFound):
        version_in_force("1.001193", JAN_2026)


def test_publishing_an_amendment_closes_the_previous_version_the_day_before(birth):
    new = amend_procedure(
        procedure=birth.procedure, content=content_of(amended()), effective_from=JAN_2026, status="published"
    )
    birth.refresh_from_db()
    assert birth.effective_to == dt.date(2025, 12, 31)
    assert (new.number, new.change, new.effective_to) == (2, "amend", None)
    assert version_in_force("1.001193", dt.date(2025, 12, 31)) == birth
    assert version_in_force("1.001193", JAN_2026) == new


def test_an_amendment_stays_a_draft_until_published(birth):
    draft = amend_procedure(procedure=birth.procedure, content=content_of(amended()), effective_from=JAN_2026)
    assert version_in_force("1.001193", JAN_2026) == birth
    publish_version(version=draft)
    assert version_in_force("1.001193", JAN_2026) == draft


def test_an_amendment_must_start_after_the_latest_published_version(birth):
    with pytest.raises(Conflict) as caught:
        amend_procedure(procedure=birth.procedure, content=content_of(amended()), effective_from=JULY_2025)
    assert caught.value.code == "version_exists"
    with pytest.raises(Conflict) as caught:
        amend_procedure(
            procedure=birth.procedure, content=content_of(amended()), effective_from=dt.date(2025, 1, 1)
        )
    assert caught.value.code == "amendment_not_later"


def test_an_older_draft_cannot_be_published_over_a_later_published_version(birth):
    draft = amend_procedure(procedure=birth.procedure, content=content_of(amended()), effective_from=JAN_2026)
    amend_procedure(
        procedure=birth.procedure,
        content=content_of(amended("2")),
        effective_from=dt.date(2026, 3, 1),
        status="published",
    )
    with pytest.raises(Conflict) as caught:
        publish_version(version=draft)
    assert caught.value.code == "later_version_published"


def test_unpublishing_the_newest_version_puts_the_previous_one_back_in_force(birth):
    new = amend_procedure(
        procedure=birth.procedure, content=content_of(amended()), effective_from=JAN_2026, status="published"
    )
    unpublish_version(version=new)
    birth.refresh_from_db()
    assert birth.effective_to is None
    assert version_in_force("1.001193", JAN_2026) == birth
    assert ProcedureVersion.objects.get(pk=new.pk).status == "unpublished"


def test_a_published_version_cannot_be_edited_in_place(birth):
    with pytest.raises(Conflict) as caught:
        update_draft(version=birth, content=content_of(amended()))
    assert caught.value.code == "version_immutable"


def test_a_draft_can_be_rewritten_and_its_children_replaced(fields):
    draft = create_procedure(code="1.001193", content=content_of(KHAI_SINH), effective_from=JULY_2025)
    old_hash = draft.content_hash
    shorter = {**amended("2"), "documents": KHAI_SINH["documents"][:1], "process": []}
    draft = update_draft(version=draft, content=content_of(shorter), decision="Quyết định mới")
    assert draft.time_limit_amount == Decimal(2)
    assert draft.documents.count() == 1 and draft.steps.count() == 0
    assert draft.content_hash != old_hash


def test_abolishing_a_procedure_ends_it_and_its_version_in_force(birth):
    abolish_procedure(procedure=birth.procedure, on=JAN_2026, decision="Quyết định bãi bỏ")
    birth.refresh_from_db()
    assert birth.effective_to == dt.date(2025, 12, 31)
    assert version_in_force("1.001193", dt.date(2025, 12, 31)) == birth
    with pytest.raises(NotFound) as caught:
        version_in_force("1.001193", JAN_2026)
    assert caught.value.code == "procedure_abolished"


def test_an_abolished_procedure_takes_no_amendment_after_its_end(birth):
    procedure = abolish_procedure(procedure=birth.procedure, on=JAN_2026)
    with pytest.raises(Conflict) as caught:
        amend_procedure(
            procedure=procedure, content=content_of(amended()), effective_from=dt.date(2026, 2, 1)
        )
    assert caught.value.code == "procedure_abolished"


def test_a_replacing_procedure_retires_the_old_one_when_published(birth):
    new = replace_procedure(
        replaced=[birth.procedure],
        code="1.013070",
        content=content_of(record("1.013070", "Đăng ký khai sinh trực tuyến liên thông")),
        effective_from=JAN_2026,
        decision="Quyết định thay thế",
    )
    assert version_in_force("1.001193", JAN_2026) == birth  # a draft replaces nothing yet
    publish_version(version=new)
    with pytest.raises(NotFound) as caught:
        version_in_force("1.001193", JAN_2026)
    assert caught.value.code == "procedure_abolished"
    assert caught.value.fields["replaced_by"] == "1.013070"
    assert version_in_force("1.013070", JAN_2026) == new


def test_unpublishing_a_replacement_gives_the_old_procedure_back(birth):
    new = replace_procedure(
        replaced=[birth.procedure],
        code="1.013070",
        content=content_of(record("1.013070", "Đăng ký khai sinh liên thông")),
        effective_from=JAN_2026,
        status="published",
    )
    unpublish_version(version=new)
    assert version_in_force("1.001193", JAN_2026) == birth


def test_a_procedure_cannot_replace_itself(birth):
    with pytest.raises(ValidationFailed):
        replace_procedure(
            replaced=[birth.procedure],
            code="1.001193",
            content=content_of(KHAI_SINH),
            effective_from=JAN_2026,
        )


def test_a_malformed_code_is_refused(fields):
    with pytest.raises(ValidationFailed) as caught:
        create_procedure(code="1-001193", content=content_of(KHAI_SINH), effective_from=JULY_2025)
    assert caught.value.code == "invalid_procedure_code"


def test_time_limits_differ_by_channel_when_the_procedure_says_so(fields):
    residence = record(
        "1.004222",
        "Đăng ký thường trú",
        field="cu-tru",
        time_limit={"amount": "7", "unit": "d", "text": ""},
        time_limits_by_channel={"online": {"amount": "5", "unit": "d"}},
    )
    version = create_procedure(code="1.004222", content=content_of(residence), effective_from=JULY_2025)
    assert version.time_limit_for("online") == (Decimal(5), "d")
    assert version.time_limit_for("counter") == (Decimal(7), "d")


def test_the_database_refuses_a_fixed_step_without_an_agency(birth):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcessStep.objects.create(
            version=birth,
            stage=1,
            position=99,
            name="Thẩm định",
            actor_kind="fixed",
            role="specialist",
            days=Decimal("0.5"),
        )


def test_the_database_refuses_a_local_step_without_a_sector(birth):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcessStep.objects.create(
            version=birth,
            stage=1,
            position=99,
            name="Thẩm định",
            actor_kind="local",
            role="specialist",
            days=Decimal("0.5"),
        )


def test_the_database_refuses_two_versions_with_the_same_number(birth):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcedureVersion.objects.create(
            procedure=birth.procedure,
            number=1,
            effective_from=JAN_2026,
            name="x",
            field=birth.field,
            lead_kind="local",
            lead_sector="committee",
            time_limit_amount=0,
        )
