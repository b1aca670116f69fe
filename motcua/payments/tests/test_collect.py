"""Collecting fees at the counter: lines kept from receipt, one e-receipt per payment, the hand-over gate."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from motcua.catalog.models import FeeRule
from motcua.catalog.selectors import read_content
from motcua.catalog.services.versions import amend_procedure
from motcua.core.errors import NotFound, TransitionNotAllowed, ValidationFailed
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier, StepStatus
from motcua.payments import services
from motcua.payments.models import DossierFees, FeeLine, Payment
from motcua.payments.rules import NotAllowed

from .conftest import at, birth_bundle, business, pdf


def _ready(dossier: Dossier, people: dict) -> Dossier:
    """Every agency step done and the result at the desk."""
    for _ in range(10):
        step = dossier.steps.filter(status=StepStatus.ACTIVE).exclude(role="counter_officer").first()
        if step is None:
            break
        dossier_services.complete_step(
            code=dossier.code, step_id=step.pk, actor=people["tp.dkkd"], now=at("2025-11-04 09:00")
        )
    dossier_services.mark_result_ready(
        code=dossier.code, actor=people["cv.dkkd"], results=[], now=at("2025-11-04 10:00")
    )
    return dossier


def _amend_publication_fee(procedure_version, amount: int, effective: dt.date) -> None:
    """Publish an amendment in which the publication fee (the last rule) costs `amount`."""
    content = read_content(procedure_version)
    fees = (*content.fees[:-1], dataclasses.replace(content.fees[-1], amount_vnd=amount))
    amend_procedure(
        procedure=procedure_version.procedure,
        content=dataclasses.replace(content, fees=fees),
        effective_from=effective,
        status="published",
    )


def test_the_fee_lines_are_those_of_the_receipt_even_if_the_catalog_changes_later(dossier, people, points):
    officer = people["motcua.tuphap"]
    _amend_publication_fee(dossier.procedure_version, 120_000, dt.date(2025, 11, 10))
    newer = business(people, points, "2025-11-12 09:00")

    old = services.collect_fee(code=dossier.code, actor=officer, method="cash", now=at("2025-11-12 09:30"))
    new = services.collect_fee(code=newer.code, actor=officer, method="cash", now=at("2025-11-12 09:40"))
    # Once written, the lines stay as they were, whatever is done to the rules.
    FeeRule.objects.filter(version=dossier.procedure_version).update(amount_vnd=999_000)

    lines = list(FeeLine.objects.filter(dossier=dossier).values_list("name", "amount_vnd"))
    assert lines == [
        ("Lệ phí đăng ký doanh nghiệp", 50_000),
        ("Phí công bố nội dung đăng ký doanh nghiệp", 100_000),
    ]
    assert (old.amount_vnd, new.amount_vnd) == (150_000, 170_000)
    assert [line["amount_vnd"] for line in new.lines] == [50_000, 120_000]
    assert DossierFees.objects.get(dossier=dossier).due_vnd == dossier.fee_due_vnd == 150_000


def test_rules_edited_behind_the_catalog_back_never_change_what_the_receipt_slip_promised(dossier, people):
    # Published content is frozen (catalog/services/versions.py); were it edited in the database anyway
    # before the first payment, the total the applicant was told stands, as one line.
    FeeRule.objects.filter(version=dossier.procedure_version).update(amount_vnd=999_000)

    payment = services.collect_fee(code=dossier.code, actor=people["motcua.tuphap"], method="cash")

    assert payment.amount_vnd == 150_000
    assert list(FeeLine.objects.filter(dossier=dossier).values_list("name", "amount_vnd")) == [
        ("Phí, lệ phí theo giấy tiếp nhận hồ sơ", 150_000)
    ]


def test_the_desk_collects_what_is_due_with_an_e_receipt_once(dossier, people):
    officer = people["motcua.tuphap"]

    payment = services.collect_fee(
        code=dossier.code, actor=officer, method="transfer", reference="FT2530", now=at("2025-11-03 09:10")
    )

    assert (payment.amount_vnd, payment.status, payment.receipt) == (150_000, "paid", "BL-25E 0000001")
    assert payment.payer_name == "Trần Văn Bình" and payment.collected_by == officer
    assert [line["amount_vnd"] for line in payment.lines] == [50_000, 100_000]
    assert payment.agency == dossier.lead_agency  # the Department of Finance issues its receipts
    fees = DossierFees.objects.get(dossier=dossier)
    assert (fees.paid_vnd, fees.balance_vnd, fees.settled_at, fees.settled_online) == (
        150_000,
        0,
        at("2025-11-03 09:10"),
        False,
    )
    event = dossier.events.get(action="collect_fee")
    assert event.actor == officer and event.data["receipt"] == "BL-25E 0000001"
    with pytest.raises(ValidationFailed) as again:
        services.collect_fee(code=dossier.code, actor=officer, method="cash")
    assert again.value.code == "nothing_due"
    assert Payment.objects.count() == 1


def test_a_part_is_collected_only_where_the_province_allows_it(dossier, people, settings):
    officer = people["motcua.tuphap"]
    with pytest.raises(ValidationFailed) as refused:
        services.collect_fee(code=dossier.code, actor=officer, method="cash", amount_vnd=50_000)
    assert refused.value.code == "partial_payment_not_allowed"

    settings.MOTCUA = {**settings.MOTCUA, "PAYMENT_PARTIAL": True}
    first = services.collect_fee(code=dossier.code, actor=officer, method="cash", amount_vnd=120_000)
    with pytest.raises(ValidationFailed) as too_much:
        services.collect_fee(code=dossier.code, actor=officer, method="cash", amount_vnd=40_000)
    second = services.collect_fee(code=dossier.code, actor=officer, method="card")

    assert too_much.value.code == "more_than_due"
    assert [line["amount_vnd"] for line in first.lines] == [50_000, 70_000]
    assert [(line["position"], line["amount_vnd"]) for line in second.lines] == [(2, 30_000)]
    assert (first.receipt_number, second.receipt_number) == (1, 2)


def test_only_the_receiving_desk_collects(dossier, people):
    with pytest.raises(NotFound):
        services.collect_fee(code=dossier.code, actor=people["stranger"], method="cash")
    with pytest.raises(NotFound):  # another centre's officer does not even see it
        services.collect_fee(code=dossier.code, actor=people["motcua.thanhsen"], method="cash")
    with pytest.raises(NotAllowed) as specialist:
        services.collect_fee(code=dossier.code, actor=people["tp.dkkd"], method="cash")
    assert specialist.value.code == "counter_only" and specialist.value.status == 403
    with pytest.raises(ValidationFailed):
        services.collect_fee(code=dossier.code, actor=people["motcua.tuphap"], method="online")
    assert not Payment.objects.exists() and not DossierFees.objects.exists()


def test_receipt_numbers_count_per_agency_and_year_without_gaps(people, points):
    officer = people["motcua.tuphap"]
    first = business(people, points, "2025-12-30 09:00")
    second = business(people, points, "2025-12-30 09:10")
    third = business(people, points, "2026-01-05 09:00")
    with pytest.raises(ValidationFailed):  # refused: takes no number
        services.collect_fee(code=second.code, actor=officer, method="cash", amount_vnd=1)

    receipts = [
        services.collect_fee(code=d.code, actor=officer, method="cash", now=at(when)).receipt
        for d, when in (
            (first, "2025-12-30 10:00"),
            (second, "2025-12-31 10:00"),
            (third, "2026-01-05 10:00"),
        )
    ]

    assert receipts == ["BL-25E 0000001", "BL-25E 0000002", "BL-26E 0000001"]


def test_the_result_is_handed_over_only_once_the_fees_are_settled(dossier, people):
    officer = people["motcua.tuphap"]
    _ready(dossier, people)

    with pytest.raises(TransitionNotAllowed) as refused:
        dossier_services.hand_over_result(code=dossier.code, actor=officer)
    services.collect_fee(code=dossier.code, actor=officer, method="cash")
    dossier_services.hand_over_result(code=dossier.code, actor=officer)

    assert refused.value.code == "fees_unpaid" and "150.000" in refused.value.message
    dossier.refresh_from_db()
    assert dossier.status == "returned"


def test_a_province_may_hand_over_before_the_fees_are_paid(dossier, people, settings):
    settings.MOTCUA = {**settings.MOTCUA, "PAYMENT_BEFORE_RESULT": False}
    _ready(dossier, people)

    dossier_services.hand_over_result(code=dossier.code, actor=people["motcua.tuphap"])

    assert Dossier.objects.get(pk=dossier.pk).status == "returned"


def test_on_the_spot_the_fee_is_collected_in_the_same_sitting(people, points):
    data = birth_bundle(procedure_code="2.000815", provided=[0], uploads=[pdf("ban-chinh.pdf", 0)])

    dossier = dossier_services.handle_on_the_spot(
        data=data,
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        fee_method="card",
        now=at("2025-11-03 10:00"),
    )

    payment = Payment.objects.get(dossier=dossier)
    assert (payment.method, payment.amount_vnd, payment.receipt_number) == ("card", 3_000, 1)
    assert dossier.status == "returned"
    actions = list(dossier.events.values_list("action", flat=True))
    assert actions.index("collect_fee") < actions.index("hand_over")
