"""Forms of the payment pages: they check what a person typed; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.payments.models import COUNTER_METHODS, DESK_REFUND_METHODS, PaymentMethod, RefundMethod

MAX_AMOUNT = 10**12  # one thousand billion đồng: more than any fee
MAX_TEXT = 2000


def _amount(label: Any, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=MAX_AMOUNT,
        required=False,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
    )


class VersionedForm(forms.Form):
    """Every change carries the dossier's version as the officer saw it."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CollectForm(VersionedForm):
    method = forms.ChoiceField(
        label=_("Paid by"),
        choices=[(m.value, m.label) for m in PaymentMethod if m in COUNTER_METHODS],
        initial=PaymentMethod.CASH,
        widget=forms.RadioSelect,
    )
    amount_vnd = _amount(_("Amount (đồng)"), _("Empty: everything still due."))
    payer_name = forms.CharField(
        label=_("Payer's name"), max_length=255, required=False, help_text=_("Empty: the applicant.")
    )
    reference = forms.CharField(label=_("Transfer or card slip reference"), max_length=100, required=False)

    def __init__(self, *args: Any, partial: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not partial:  # the whole balance, shown to read back to the payer, not to change
            field = self.fields["amount_vnd"]
            field.help_text = _("Everything still due is collected in one go.")
            field.widget.attrs["readonly"] = True


class ExemptForm(VersionedForm):
    amount_vnd = _amount(_("Amount exempted (đồng)"), _("Empty: everything still due (a full exemption)."))
    reason = forms.CharField(label=_("Reason"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=500,
        help_text=_("E.g. Circular 75/2022/TT-BTC, art. 5: people with disabilities."),
    )


class RefundForm(VersionedForm):
    amount_vnd = _amount(_("Amount refunded (đồng)"), _("Empty: everything paid."))
    method = forms.ChoiceField(
        label=_("Refunded by"),
        choices=[(m.value, m.label) for m in RefundMethod if m in DESK_REFUND_METHODS],
        initial=RefundMethod.CASH,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2}))


class GatewayRefundForm(VersionedForm):
    """Money paid online given back through the payment gateway, to the card or account it came from."""

    amount_vnd = _amount(
        _("Amount refunded (đồng)"), _("Empty: everything paid online that may be refunded.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2}))


class PayOnlineForm(forms.Form):
    """The portal's button: with the look-up secret when the payer is not signed in as the applicant."""

    secret = forms.CharField(max_length=32, required=False, widget=forms.HiddenInput)


class DayForm(forms.Form):
    day = forms.DateField(
        label=_("Day"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    point = forms.TypedChoiceField(label=_("Service point"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, points: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["point"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("All my service points")), *points]
        if len(points) < 2:
            del self.fields["point"]
