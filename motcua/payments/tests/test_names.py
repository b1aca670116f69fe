"""Every model and field of the app has its Vietnamese name (the check the core apps run on themselves)."""

from __future__ import annotations

from motcua.core.tests.test_translations import test_every_model_and_field_has_a_vietnamese_name as check


def test_every_payment_model_and_field_has_a_vietnamese_name():
    check("payments")
