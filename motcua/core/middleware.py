"""Request-wide middleware of our own."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.core.refcache import reference_checked_once

_READS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReferenceCheckMiddleware:
    """Check the reference token once per page read instead of once per cached lookup.

    Only for reads: a request that may edit roles or templates must see its own change, so it checks
    the token at every lookup (core/refcache.py).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in _READS:
            return self.get_response(request)
        with reference_checked_once():
            return self.get_response(request)


class RequestSizeMiddleware:
    """Answer 413 to a request whose body is larger than MOTCUA["MAX_REQUEST_MB"], before reading it.

    DATA_UPLOAD_MAX_MEMORY_SIZE bounds a body without its files, the upload handler each file; this
    bounds a whole multipart request (many files), so the temporary folder cannot be filled by one POST.
    It must come before any middleware that reads the body (CsrfViewMiddleware reads the form).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        options = settings.MOTCUA
        limit = int(options.get("MAX_REQUEST_MB", 10 * options["MAX_UPLOAD_MB"])) * 1024 * 1024
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= limit:
            return self.get_response(request)
        message = _("The data sent is larger than %(max)s MB; send the files in several parts.") % {
            "max": limit // (1024 * 1024)
        }
        if request.path.startswith("/api/"):
            error = {"code": "request_too_large", "message": message, "fields": {"max": limit}}
            return JsonResponse({"error": error}, status=413)
        if request.headers.get("HX-Request"):  # the page's script shows the text where the upload was
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return render(request, "413.html", {"max_mb": limit // (1024 * 1024)}, status=413)
