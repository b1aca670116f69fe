"""The report form: which period and how to group, read from the page's query string."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import ValidationFailed
from motcua.reports import periods
from motcua.reports.periods import Period
from motcua.reports.results import GROUPINGS

KIND_CHOICES = [
    ("month", _("Month")),
    ("quarter", _("Quarter")),
    ("half", _("Half-year")),
    ("year", _("Year")),
    ("days", _("From day to day")),
]


class ReportForm(forms.Form):
    ky = forms.ChoiceField(label=_("Period"), choices=KIND_CHOICES, initial="month")
    nam = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    so = forms.IntegerField(label=_("Number"), min_value=1, max_value=12, initial=1, required=False)
    tu = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    den = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    theo = forms.ChoiceField(
        label=_("Group by"),
        choices=[(k, v[2]) for k, v in GROUPINGS.items()],
        initial="field",
        required=False,
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            data["period"] = periods.build(
                data["ky"],
                year_number=data["nam"],
                number=data.get("so") or 1,
                first=data.get("tu"),
                last=data.get("den"),
            )
        except ValidationFailed as error:
            raise forms.ValidationError(error.message) from None
        data["theo"] = data.get("theo") or "field"
        return data


def default_query(today: dt.date) -> dict[str, str]:
    """The report a leader opens first: this month so far, by field."""
    return {"ky": "month", "nam": str(today.year), "so": str(today.month), "theo": "field"}


def read(query: dict[str, str], today: dt.date) -> tuple[ReportForm, Period, str]:
    """Bind the query (or the default); an invalid one keeps its errors and falls back to this month."""
    form = ReportForm(query or default_query(today))
    if form.is_valid():
        return form, form.cleaned_data["period"], form.cleaned_data["theo"]
    return form, periods.month(today.year, today.month), "field"
