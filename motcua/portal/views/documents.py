"""The citizen's digitised documents (Decree 45/2020 art. 16–17): results and signed copies, to download."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from motcua.core.models import User
from motcua.dossiers.applicant_documents import citizen_document, citizen_documents
from motcua.portal.access import citizen_required


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@citizen_required
@require_GET
def my_documents(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/documents/list.html", {"documents": citizen_documents(_user(request))})


@citizen_required
@require_GET
def download(request: HttpRequest, sha256: str) -> FileResponse:
    """One of her digitised documents, found by its content's hash; anything else is not found."""
    stored = citizen_document(_user(request), sha256)
    if stored is None:
        raise Http404
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=stored.original_name)
    response["Cache-Control"] = "private, no-store"
    return response
