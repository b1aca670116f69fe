"""The counter's form for what the applicant brings in answer to a request: scans, or her digitised papers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.applicant_documents import DigitisedDocument
from motcua.dossiers.forms_actions import VersionedForm
from motcua.dossiers.forms_web import MultipleFileField

REUSE_PREFIX = "reuse_"  # reuse_<position> = the file id of the digitised document standing for it


def _label(d: DigitisedDocument) -> str:
    return _("%(name)s (%(file)s, dossier %(dossier)s, %(date)s)") % {
        "name": d.name[:80],
        "file": d.file_name,
        "dossier": d.dossier_code,
        "date": timezone.localtime(d.stored_at).strftime("%d/%m/%Y"),
    }


class ReceiveSupplementForm(VersionedForm):
    scans = MultipleFileField(label=_("Scans of the supplement"), required=False)
    provided = forms.TypedMultipleChoiceField(
        label=_("Documents now received"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        documents: Iterable[Any] = (),
        requested: Iterable[tuple[int, str]] = (),
        digitised: Sequence[DigitisedDocument] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provided"].choices = [(d.position, d.name) for d in documents]  # type: ignore[attr-defined]
        if not digitised:
            return
        # Decree 45/2020 art. 16–17: a requested paper held as a digitised copy is not scanned again.
        choices: list[tuple[str, Any]] = [("", _("— not used: the paper is scanned —"))]
        choices += [(str(d.file_id), _label(d)) for d in digitised]
        for position, name in requested:
            self.fields[f"{REUSE_PREFIX}{position}"] = forms.TypedChoiceField(
                label=_("Digitised document for “%(document)s”") % {"document": name},
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["reused"] = [
            (int(key.removeprefix(REUSE_PREFIX)), file_id)
            for key, file_id in cleaned.items()
            if key.startswith(REUSE_PREFIX) and file_id is not None
        ]
        return cleaned
