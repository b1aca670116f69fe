"""Forms of the actions on a dossier's page: each carries the version the officer saw."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.forms_web import DocumentItemsMixin, MultipleFileField, local_datetime_field
from motcua.dossiers.models import Delivery
from motcua.signing.forms import SealChoice


class VersionedForm(forms.Form):
    """Every action carries the version the officer saw: a change since then is a conflict."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StepForm(VersionedForm):
    step = forms.IntegerField(widget=forms.HiddenInput)


class TakeStepForm(StepForm):
    pass


class CompleteStepForm(StepForm):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you checked or decided; shown in the process control sheet."),
    )


class AssignStepForm(StepForm):
    assignee = forms.TypedChoiceField(label=_("Assign to"), coerce=int)

    def __init__(self, *args: Any, people: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "—"), *(people or [])]  # type: ignore[attr-defined]


class ReturnStepForm(StepForm):
    to_step = forms.TypedChoiceField(label=_("Return to"), coerce=int)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, targets: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_step"].choices = targets or []  # type: ignore[attr-defined]


class SupplementForm(DocumentItemsMixin, VersionedForm):
    """Ask the applicant once for everything missing (Decree 118: one request, listing all)."""

    def __init__(self, *args: Any, documents: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_item_fields(documents)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.request_items = self.clean_items(required=True)
        return data


class ApologyForm(VersionedForm):
    reason = forms.CharField(
        label=_("Reason for the delay"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Printed on the apology letter to the applicant."),
    )
    new_due_at = local_datetime_field(_("New appointment"))
    signer_name = forms.CharField(label=_("Signed by"), required=False, max_length=255)
    signer_title = forms.CharField(label=_("Title of the signer"), required=False, max_length=255)

    def clean_new_due_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["new_due_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("The new appointment must be in the future."))
        return value


class RefuseForm(VersionedForm):
    reasons = forms.CharField(
        label=_("Reasons for refusing"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One reason per line; they are printed on the refusal slip."),
    )


class ResultReadyForm(SealChoice, VersionedForm):
    field_order = ["results", "comment", "sign"]
    results = MultipleFileField(
        label=_("Result documents"),
        required=False,
        help_text=_("Scans or signed PDFs of the result; needed when the result is delivered online."),
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=1000)


class HandOverForm(VersionedForm):
    method = forms.ChoiceField(label=_("Handed over"), choices=Delivery.choices, widget=forms.RadioSelect)
    tracking_number = forms.CharField(label=_("Postal tracking number"), required=False, max_length=60)
    recipient = forms.CharField(
        label=_("Received by"),
        required=False,
        max_length=255,
        help_text=_("Name of the person who took the result, if not the applicant."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == Delivery.POST and not (data.get("tracking_number") or "").strip():
            self.add_error("tracking_number", _("Enter the postal tracking number."))
        return data


class StopForm(VersionedForm):
    reason = forms.CharField(
        label=_("The applicant's request"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Left empty: “At the applicant's request.”"),
    )


class AcceptForm(VersionedForm):
    pass
