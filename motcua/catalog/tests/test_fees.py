from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.catalog.fees import FeeLine, compute_fees, fee_breakdown
from motcua.catalog.spec import FeeSpec
from motcua.core.errors import ValidationFailed

COPY_FEE = FeeSpec(
    kind="fee",
    name="Phí chứng thực bản sao",
    method="per_unit",
    amount_vnd=2000,
    unit="trang",
    cap_vnd=200000,
)
RESIDENCE_COUNTER = FeeSpec(
    kind="charge",
    name="Lệ phí đăng ký cư trú",
    amount_vnd=20000,
    channel="counter",
    exemption="Miễn cho trẻ em dưới 16 tuổi",
)
RESIDENCE_ONLINE = FeeSpec(
    kind="charge", name="Lệ phí đăng ký cư trú trực tuyến", amount_vnd=10000, channel="online"
)


def test_a_fixed_fee_is_due_once_whatever_the_quantity():
    assert compute_fees([RESIDENCE_COUNTER], channel="counter", quantity=5) == 20000


def test_a_per_unit_fee_multiplies_by_the_quantity():
    assert compute_fees([COPY_FEE], channel="counter", quantity=7) == 14000


def test_a_per_unit_fee_stops_at_its_cap():
    assert compute_fees([COPY_FEE], channel="online", quantity=150) == 200000


def test_online_filings_pay_the_online_rule_and_paper_filings_the_counter_rule():
    rules = [RESIDENCE_COUNTER, RESIDENCE_ONLINE]
    assert compute_fees(rules, channel="online") == 10000
    assert compute_fees(rules, channel="counter") == 20000
    assert compute_fees(rules, channel="post") == 20000


def test_an_exempt_applicant_pays_nothing_for_rules_that_state_an_exemption():
    rules = [RESIDENCE_COUNTER, COPY_FEE]
    assert compute_fees(rules, channel="counter", quantity=2, exempt=True) == 4000


def test_the_breakdown_names_each_line_and_marks_waived_ones():
    lines = fee_breakdown([RESIDENCE_COUNTER, COPY_FEE], channel="counter", quantity=3, exempt=True)
    assert lines == [
        FeeLine(kind="charge", name="Lệ phí đăng ký cư trú", amount_vnd=0, waived=True),
        FeeLine(kind="fee", name="Phí chứng thực bản sao", amount_vnd=6000, waived=False),
    ]


def test_a_quantity_below_one_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        compute_fees([COPY_FEE], channel="counter", quantity=0)
    assert caught.value.code == "invalid_quantity"


def test_an_unknown_channel_is_refused():
    with pytest.raises(ValidationFailed):
        compute_fees([COPY_FEE], channel="fax")


@given(
    quantity=st.integers(min_value=1, max_value=10_000),
    amount=st.integers(0, 100_000),
    cap=st.none() | st.integers(0, 1_000_000),
)
def test_a_per_unit_total_never_exceeds_its_cap_nor_the_plain_product(quantity, amount, cap):
    rule = FeeSpec(kind="fee", name="Phí", method="per_unit", amount_vnd=amount, unit="trang", cap_vnd=cap)
    total = compute_fees([rule], channel="counter", quantity=quantity)
    assert total <= amount * quantity
    assert cap is None or total <= cap
    assert total == (amount * quantity if cap is None else min(cap, amount * quantity))
