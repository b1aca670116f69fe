"""Home, procedure search and the procedure page."""

from __future__ import annotations

from pathlib import PurePath

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from motcua.catalog.selectors import fields_with_counts, search_procedures, version_in_force
from motcua.core.errors import DomainError, NotFound
from motcua.org.models import Agency
from motcua.portal.forms import LookupForm, SearchForm
from motcua.portal.selectors.catalog import agencies_to_browse, procedure_page
from motcua.portal.views import is_htmx, page_or_partial

PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    fields = [(field, count) for field, count in fields_with_counts() if count]
    return render(
        request,
        "portal/home.html",
        {
            "form": SearchForm(),
            "lookup_form": LookupForm(),
            "fields": fields,
            "agencies": agencies_to_browse(),
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    if is_htmx(request) and request.GET.get("live") and not request.GET.get("q", "").strip():
        return HttpResponse("")  # the home page's live search, emptied: show nothing rather than everything
    form = SearchForm(request.GET or None)
    page = None
    agency = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        agency = Agency.objects.filter(code=data["agency"]).first() if data["agency"] else None
        try:
            versions = search_procedures(
                data["q"],
                field=data["field"],
                agency=agency or (data["agency"] or None),
                online_level=data["online"] or None,
                limit=None,
            )
            page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("trang"))
        except DomainError as error:
            form.add_error(None, error.message)
    elif not form.is_bound:
        page = Paginator(search_procedures(limit=None), PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    context = {"form": form, "page": page, "agency": agency, "query": query.urlencode()}
    return page_or_partial(request, "portal/search.html", "portal/_results.html", context)


def procedure(request: HttpRequest, code: str) -> HttpResponse:
    try:
        info = procedure_page(code, timezone.now())
    except NotFound as error:
        if error.code == "procedure_not_found":
            raise Http404(error.message) from None
        return render(request, "portal/procedure_missing.html", {"message": error.message}, status=404)
    return render(request, "portal/procedure.html", {"info": info, "version": info.version})


def blank_form(request: HttpRequest, code: str, position: int) -> FileResponse:
    """Download the blank form of one listed document of the version in force."""
    try:
        version = version_in_force(code, timezone.now())
    except NotFound:
        raise Http404 from None
    document = version.documents.filter(position=position).exclude(template_file="").first()
    if document is None:
        raise Http404
    name = PurePath(document.template_file.name or "mau").name
    return FileResponse(document.template_file.open("rb"), as_attachment=True, filename=name)
