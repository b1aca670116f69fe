"""Forms of the staff pages: they check what a person typed; the services decide what is allowed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from motcua.catalog.choices import DocumentForm
from motcua.dossiers.models import ApplicantKind, Channel, Delivery
from motcua.dossiers.services import ApplicantIn, IntakeIn, RequestItem
from motcua.dossiers.uploads import Upload

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the services check each file's real type and size."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def as_uploads(files: Iterable[UploadedFile]) -> list[Upload]:
    """Wrap the request's files, read later in chunks (Django spooled the large ones to disk)."""
    return [Upload.from_file(f, name=f.name or "tep") for f in files]


def local_datetime_field(label: Any, required: bool = True, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
    )


@dataclass(frozen=True)
class DocumentRow:
    """One listed document with its controls: provided at the counter, missing and why."""

    position: int
    name: str
    required: bool
    condition: str
    form_label: str
    copies: int
    provided: bool
    missing: bool
    reason: forms.BoundField


class DocumentItemsMixin:
    """The "missing documents and why" part shared by every request to complete or supplement."""

    documents: list[Any]
    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_item_fields(self, documents: Iterable[Any]) -> None:
        self.documents = list(documents)
        choices = [(d.position, d.name) for d in self.documents]
        self.fields["missing"] = forms.TypedMultipleChoiceField(
            label=_("Documents to complete"),
            coerce=int,
            choices=choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        for d in self.documents:
            self.fields[f"reason_{d.position}"] = forms.CharField(
                label=_("Reason for “%(name)s”") % {"name": d.name}, required=False, max_length=500
            )

    def item_rows(self) -> list[tuple[Any, bool, forms.BoundField]]:
        """Each listed document with its "missing" box as sent and its reason field."""
        missing = _ints(self["missing"].value())  # type: ignore[index]
        return [(d, d.position in missing, self[f"reason_{d.position}"]) for d in self.documents]  # type: ignore[index]

    def clean_items(self, required: bool) -> list[RequestItem]:
        missing = self.cleaned_data.get("missing") or []
        if required and not missing:
            self.add_error("missing", _("Tick every document the applicant must complete."))  # type: ignore[attr-defined]
        items = []
        for position in missing:
            reason = (self.cleaned_data.get(f"reason_{position}") or "").strip()
            if required and not reason:
                self.add_error(f"reason_{position}", _("Say what is wrong with this document."))  # type: ignore[attr-defined]
            items.append(RequestItem(position=position, reason=reason))
        return items


class IntakeForm(DocumentItemsMixin, forms.Form):
    """Everything the counter officer records for one dossier, and what she decides."""

    OUTCOMES = [
        ("accept", _("Accept and print the appointment slip")),
        ("request_completion", _("Request completion")),
        ("refuse", _("Refuse")),
        ("on_the_spot", _("Handle on the spot")),
    ]

    nonce = forms.CharField(widget=forms.HiddenInput, max_length=64)
    procedure_code = forms.CharField(
        widget=forms.HiddenInput,
        max_length=40,
        error_messages={"required": _("Choose the procedure first.")},
    )
    channel = forms.ChoiceField(
        label=_("Received"),
        choices=[(Channel.COUNTER, _("At the counter")), (Channel.POST, _("By post"))],
        initial=Channel.COUNTER,
        widget=forms.RadioSelect,
    )
    postmarked_at = local_datetime_field(
        _("Postmark"), required=False, help_text=_("For dossiers received by post: the clock starts here.")
    )
    provided = forms.TypedMultipleChoiceField(
        label=_("Documents received"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ChoiceField(label=_("Applicant is"), choices=ApplicantKind.choices, initial="person")
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=20,
        help_text=_("12-digit personal ID number, or the tax code of an organisation."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Full name"), max_length=255)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    rep_name = forms.CharField(label=_("Representative's full name"), max_length=255, required=False)
    rep_id_number = forms.CharField(label=_("Representative's ID number"), max_length=20, required=False)
    rep_phone = forms.CharField(label=_("Representative's phone"), max_length=20, required=False)
    rep_authorisation = forms.CharField(
        label=_("Authorisation document"),
        max_length=255,
        required=False,
        help_text=_("E.g. power of attorney no. 12/UQ of 03/11/2025."),
    )
    delivery = forms.ChoiceField(
        label=_("Result delivered"),
        choices=Delivery.choices,
        initial=Delivery.COUNTER,
        widget=forms.RadioSelect,
    )
    delivery_address = forms.CharField(
        label=_("Postal address for the result"), max_length=500, required=False
    )
    sets = forms.IntegerField(label=_("Number of sets"), min_value=1, max_value=50, initial=1)
    outcome = forms.ChoiceField(choices=OUTCOMES, initial="accept", widget=forms.HiddenInput)
    refuse_reasons = forms.CharField(
        label=_("Reasons for refusing"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One reason per line; they are printed on the refusal slip."),
    )
    comment = forms.CharField(label=_("Decision note"), required=False, max_length=1000)

    def __init__(self, *args: Any, version: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        documents = list(version.documents.all()) if version is not None else []
        if version is not None:
            # Offer only the paper channels this procedure accepts (online filings come through the portal).
            offered = [c for c in self.fields["channel"].choices if c[0] in version.channels]  # type: ignore[attr-defined]
            self.fields["channel"].choices = offered or self.fields["channel"].choices  # type: ignore[attr-defined]
        self.fields["provided"].choices = [(d.position, d.name) for d in documents]  # type: ignore[attr-defined]
        self.add_item_fields(documents)

    def clean_id_number(self) -> str:
        value = "".join(self.cleaned_data["id_number"].split())
        if not value.isdigit() or not 9 <= len(value) <= 13:
            raise forms.ValidationError(_("An ID number or tax code has 9 to 13 digits."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("channel") == Channel.POST and not data.get("postmarked_at"):
            self.add_error("postmarked_at", _("Enter the postmark of a dossier received by post."))
        if data.get("delivery") == Delivery.POST and not (data.get("delivery_address") or "").strip():
            self.add_error("delivery_address", _("Enter the address the result is posted to."))
        if data.get("delivery") == Delivery.ONLINE and not (data.get("email") or data.get("phone")):
            self.add_error("delivery", _("An online result needs the applicant's e-mail or phone."))
        outcome = data.get("outcome")
        if outcome == "request_completion":
            self.clean_items(required=True)
        if outcome == "refuse" and not (data.get("refuse_reasons") or "").strip():
            self.add_error("refuse_reasons", _("Write why the dossier is refused."))
        if outcome == "on_the_spot" and not (self.version and self.version.on_the_spot):
            self.add_error(None, _("This procedure is not handled on the spot."))
        return data

    def document_rows(self) -> list[DocumentRow]:
        """The checklist as the page shows it, keeping every box the officer ticked."""
        provided = _ints(self["provided"].value())
        missing = _ints(self["missing"].value())
        labels = dict(DocumentForm.choices)
        return [
            DocumentRow(
                position=d.position,
                name=d.name,
                required=d.required,
                condition=d.condition,
                form_label=str(labels.get(d.form, "")),
                copies=d.copies,
                provided=d.position in provided,
                missing=d.position in missing,
                reason=self[f"reason_{d.position}"],
            )
            for d in self.documents
        ]

    def applicant(self) -> ApplicantIn:
        d = self.cleaned_data
        return ApplicantIn(
            name=d["name"],
            id_number=d["id_number"],
            kind=d["kind"],
            date_of_birth=d.get("date_of_birth"),
            address=d.get("address", ""),
            phone=d.get("phone", ""),
            email=d.get("email", ""),
        )

    def intake_in(self, uploads: list[Upload]) -> IntakeIn:
        d = self.cleaned_data
        representative = {
            key: d.get(f"rep_{key}", "").strip()
            for key in ("name", "id_number", "phone", "authorisation")
            if d.get(f"rep_{key}", "").strip()
        }
        postmark = d.get("postmarked_at") if d.get("channel") == Channel.POST else None
        return IntakeIn(
            procedure_code=d["procedure_code"],
            applicant=self.applicant(),
            provided=list(d.get("provided") or []),
            uploads=uploads,
            delivery=d["delivery"],
            delivery_address=d.get("delivery_address", ""),
            representative=representative,
            sets=d.get("sets") or 1,
            postmarked_at=postmark,
        )

    def items(self) -> list[RequestItem]:
        return self.clean_items(required=False)


def _ints(values: Any) -> set[int]:
    found = set()
    for value in values or []:
        try:
            found.add(int(value))
        except (TypeError, ValueError):
            continue
    return found
