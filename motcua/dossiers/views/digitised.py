"""The counter's panel of the applicant's digitised documents: reuse one instead of scanning the paper.

The list opens only for a counter officer, and only with dossiers filed under both the ID number and the
full name typed (Decree 45/2020 art. 16–17; motcua/dossiers/applicant_documents.py). A document is
opened through a short-lived signed link, and the panel itself is asked for by POST, so neither the
applicant's ID number nor a file id is in a URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core import signing as tokens
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from motcua.dossiers.applicant_documents import ApplicantKey, applicant_documents, valid_copies
from motcua.dossiers.disclosures import record_documents
from motcua.dossiers.models import ApplicantKind, StoredFile
from motcua.dossiers.services import Reused
from motcua.dossiers.views.common import acting_user, staff_view
from motcua.dossiers.views.counter import counter_point, receivable_version

FIELD_PREFIX = "reuse_"  # reuse_<file id> = the position of the listed document it stands for
LINK_SALT = "motcua.dossiers.digitised"
LINK_MAX_AGE = 3600


def applicant_key(values: Mapping[str, Any]) -> ApplicantKey | None:
    """The applicant typed on the intake form, once both the ID number and the full name are there."""
    id_number = "".join(str(values.get("id_number") or "").split())
    name = str(values.get("name") or "").strip()
    kind = str(values.get("kind") or ApplicantKind.PERSON)
    if not (id_number.isdigit() and 9 <= len(id_number) <= 13 and name):
        return None
    return ApplicantKey(kind=kind, id_number=id_number, name=name)


def chosen(data: QueryDict) -> dict[int, int]:
    """The officer's choices on the panel: file id → position of the listed document."""
    found = {}
    for key in data:
        number, value = key.removeprefix(FIELD_PREFIX), str(data.get(key, ""))
        if key.startswith(FIELD_PREFIX) and number.isdigit() and value.isdigit():
            found[int(number)] = int(value)
    return found


def reused_from_form(data: QueryDict) -> list[Reused]:
    """What the intake form asks to reuse, for the service to check against the applicant."""
    return [Reused(position=position, file_id=file_id) for file_id, position in chosen(data).items()]


def panel_context(request: HttpRequest, values: Mapping[str, Any], choices: dict[int, int]) -> dict[str, Any]:
    """The panel's rows for the applicant typed in `values`, each with its signed link and the choice."""
    key = applicant_key(values)
    found = applicant_documents(key) if key is not None else []
    user = acting_user(request)
    if key is not None:
        record_documents(user, key, len(found))
    user_id = user.pk
    rows = [
        (d, tokens.dumps({"f": d.file_id, "u": user_id}, salt=LINK_SALT), choices.get(d.file_id))
        for d in found
    ]
    return {"digitised": rows, "digitised_asked": key is not None}


@staff_view
@require_POST  # the ID number and the name travel in the body, never in a URL or an access log
def digitised_panel(request: HttpRequest) -> HttpResponse:
    """The applicant's digitised documents, as the officer types the ID number and the name (htmx)."""
    version = receivable_version(request.POST.get("procedure_code", ""), counter_point(request))
    documents = list(version.documents.all()) if version is not None else []
    context = panel_context(request, request.POST, chosen(request.POST))
    return render(request, "dossiers/intake/_digitised.html", {**context, "documents": documents})


@staff_view
@require_GET
def digitised_file(request: HttpRequest, token: str) -> FileResponse:
    """Open a document the panel listed for this officer, inline, within the hour."""
    counter_point(request)
    try:
        found = tokens.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except tokens.BadSignature:
        raise Http404 from None
    if found.get("u") != acting_user(request).pk:
        raise Http404
    # Still a valid copy now: a signature found broken since the panel was drawn closes the link too.
    stored = StoredFile.objects.filter(valid_copies(), pk=found.get("f")).first()
    if stored is None:
        raise Http404
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=stored.content_type, filename=stored.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
