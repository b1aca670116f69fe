"""The demo's payments: one paid at the counter, one to pay online; loaded once."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from motcua.core.demo import DemoReport
from motcua.payments.demo import load_demo_payments
from motcua.payments.models import DossierFees, Payment

from .conftest import at


def test_the_demo_has_a_receipt_and_a_fee_to_pay_online_once(people):
    get_user_model().objects.create_user("congdan", password="x", full_name="Nguyễn Thị Dân")
    report = DemoReport()

    first = load_demo_payments(report, now=at("2025-11-03 09:00"))
    again = load_demo_payments(now=at("2025-11-04 09:00"))

    assert len(first) == 2 and report.changed and report.lines == first
    assert all(line.endswith("already there") for line in again)
    paid = Payment.objects.get()
    assert (paid.amount_vnd, paid.method, paid.receipt) == (150_000, "cash", "BL-25E 0000001")
    to_pay = DossierFees.objects.filter(paid_vnd=0)
    assert not to_pay.exists()  # the online one has no account until its first payment
    assert "10000 đ to pay online" in first[1]
