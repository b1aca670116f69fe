"""Template tags of the signing app: the signatures of a stored file, for pages outside this app."""

from __future__ import annotations

from django import template

from motcua.dossiers.models import StoredFile
from motcua.signing.models import FileSignature
from motcua.signing.selectors import signatures_on

register = template.Library()


@register.simple_tag
def signatures_of(file: StoredFile) -> list[FileSignature]:
    """The signatures recorded on `file`: prefetched by the page (`signatures`), else one query."""
    return signatures_on(file)
