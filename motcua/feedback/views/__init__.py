"""Feedback pages: the citizen's (send, follow, published answers, rate) and the staff's (inbox, counter)."""

from __future__ import annotations

from django import forms

from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.dossiers.models import Dossier
from motcua.feedback.forms import RatingForm
from motcua.feedback.services import rate_dossier


def place_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's message next to the field it names, else at the top of the form."""
    placed = False
    for name, detail in error.fields.items():
        if name in form.fields and isinstance(detail, str):
            form.add_error(name, detail)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def record_rating(
    form: RatingForm, dossier: Dossier, *, channel: str, actor: User | None, secret: str | None = None
) -> None:
    """Record the rating a valid form holds (the service decides who may); domain errors propagate."""
    rate_dossier(
        code=dossier.code,
        level=form.cleaned_data["level"],
        answers=form.answers(),
        comment=form.cleaned_data["comment"],
        channel=channel,
        actor=actor,
        secret=secret,
    )
