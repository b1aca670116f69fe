"""The seven official forms of a dossier (Circular 03/2025/TT-VPCP), rendered from plain values to PDF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from motcua.dossiers.pdf.data import (
    DEFAULT_CODES,
    FORM_TITLES,
    Apology,
    BookRow,
    ControlRow,
    ControlSheet,
    FormCodes,
    FormName,
    Issuer,
    Outcome,
    Party,
    ReceiptSlip,
    ReceivedDocument,
    Refusal,
    Signer,
    StopNotice,
    SupplementItem,
    SupplementRequest,
    TrackingBook,
)
from motcua.dossiers.pdf.document import Paper
from motcua.dossiers.pdf.intake import render_receipt, render_refusal, render_supplement_request
from motcua.dossiers.pdf.notices import render_apology, render_stop_notice
from motcua.dossiers.pdf.registers import render_control_sheet, render_tracking_book

# Each form's renderer and the type of value it takes.
RENDERERS: dict[FormName, tuple[type, Callable[..., bytes]]] = {
    FormName.RECEIPT: (ReceiptSlip, render_receipt),
    FormName.SUPPLEMENT_REQUEST: (SupplementRequest, render_supplement_request),
    FormName.REFUSAL: (Refusal, render_refusal),
    FormName.APOLOGY: (Apology, render_apology),
    FormName.STOP_NOTICE: (StopNotice, render_stop_notice),
    FormName.CONTROL_SHEET: (ControlSheet, render_control_sheet),
    FormName.TRACKING_BOOK: (TrackingBook, render_tracking_book),
}


def render(form_name: str, data: Any, *, codes: FormCodes = DEFAULT_CODES) -> bytes:
    """Render the form called `form_name` ("receipt", "refusal", …) from its data."""
    try:
        kind, renderer = RENDERERS[FormName(form_name)]
    except ValueError:
        raise ValueError(
            f"Unknown form {form_name!r}; expected one of {[f.value for f in FormName]}"
        ) from None
    if not isinstance(data, kind):
        raise TypeError(f"Form {form_name!r} renders a {kind.__name__}, not a {type(data).__name__}")
    return renderer(data, codes=codes)


__all__ = [
    "DEFAULT_CODES",
    "FORM_TITLES",
    "RENDERERS",
    "Apology",
    "BookRow",
    "ControlRow",
    "ControlSheet",
    "FormCodes",
    "FormName",
    "Issuer",
    "Outcome",
    "Paper",
    "Party",
    "ReceiptSlip",
    "ReceivedDocument",
    "Refusal",
    "Signer",
    "StopNotice",
    "SupplementItem",
    "SupplementRequest",
    "TrackingBook",
    "render",
    "render_apology",
    "render_control_sheet",
    "render_receipt",
    "render_refusal",
    "render_stop_notice",
    "render_supplement_request",
    "render_tracking_book",
]
