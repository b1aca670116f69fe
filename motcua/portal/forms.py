"""Forms of the citizen portal: they check shapes and keep what was typed; rules live in the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.choices import OnlineLevel
from motcua.catalog.models import Field
from motcua.dossiers.models import Delivery
from motcua.portal.accounts import normalise_phone


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Find a procedure"), required=False, max_length=200)
    field = forms.ModelChoiceField(
        label=_("Field"),
        queryset=Field.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("All fields"),
    )
    agency = forms.CharField(label=_("Agency"), required=False, max_length=35, widget=forms.HiddenInput)
    online = forms.ChoiceField(
        label=_("Online service"),
        required=False,
        choices=[
            ("", _("Any")),
            (OnlineLevel.FULL, _("Fully online")),
            (OnlineLevel.PARTIAL, _("Partly online")),
        ],
    )


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Dossier code"),
        max_length=60,
        help_text=_("Printed on your receipt, e.g. H42.50.01-251103-010001."),
    )
    secret = forms.CharField(
        label=_("Look-up code"),
        max_length=32,
        help_text=_("The 10 characters under the QR code of the receipt."),
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()

    def clean_secret(self) -> str:
        return str(self.cleaned_data["secret"]).strip().upper()


class IdentifierForm(forms.Form):
    identifier = forms.CharField(
        label=_("Phone number or e-mail"),
        max_length=254,
        help_text=_("We send a 6-digit code to it. No password needed."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("6-digit code"), max_length=12)

    def clean_code(self) -> str:
        digits = "".join(ch for ch in str(self.cleaned_data["code"]) if ch.isdigit())
        if len(digits) != 6:
            raise forms.ValidationError(_("The code has 6 digits."))
        return digits


class PointForm(forms.Form):
    point = forms.ChoiceField(label=_("Where to file"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, points: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["point"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = points


class ApplicantForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=255)
    id_number = forms.CharField(
        label=_("Personal ID number"), max_length=13, help_text=_("12 digits, on your citizen ID card.")
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    address = forms.CharField(label=_("Address"), max_length=500)
    phone = forms.CharField(label=_("Phone number"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def clean_id_number(self) -> str:
        value = str(self.cleaned_data["id_number"]).strip().replace(" ", "")
        if not value.isdigit() or not 9 <= len(value) <= 13:
            raise forms.ValidationError(_("A personal ID number has 12 digits (9 to 13 for older papers)."))
        return value

    def clean_phone(self) -> str:
        value = str(self.cleaned_data["phone"]).strip()
        if not value:
            return ""
        phone = normalise_phone(value)
        if phone is None:
            raise forms.ValidationError(_("Enter a phone number like 0912345678."))
        return phone

    def clean_date_of_birth(self) -> dt.date | None:
        value = self.cleaned_data["date_of_birth"]
        if value is not None and value > dt.date.today():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return value


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("How do you want to receive the result?"),
        widget=forms.RadioSelect,
        choices=[
            (Delivery.COUNTER, _("At the service point where I file")),
            (Delivery.POST, _("By public postal service to my address")),
            (Delivery.ONLINE, _("Online, in my account")),
        ],
    )
    delivery_address = forms.CharField(
        label=_("Delivery address"),
        max_length=500,
        required=False,
        help_text=_("Only for delivery by post."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("delivery") == Delivery.POST and not str(data.get("delivery_address", "")).strip():
            self.add_error("delivery_address", _("Enter the address the post should bring the result to."))
        return data


class ReviewForm(forms.Form):
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm = forms.BooleanField(
        label=_("I declare that the information and documents above are true and complete."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
