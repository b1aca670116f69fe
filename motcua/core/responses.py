"""What every page reached with a secret (look-up, rating, following feedback, a file check) sends back."""

from __future__ import annotations

from django.http import HttpResponse


def private(response: HttpResponse) -> HttpResponse:
    """Keep the page out of search engines, caches and other sites' Referer logs (its URL may hold a secret).

    "same-origin", not "no-referrer": under "no-referrer" a browser posts the page's own forms with
    `Origin: null`, which Django's CSRF check refuses.
    """
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response
