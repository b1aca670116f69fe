"""Request-wide middleware of our own."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
