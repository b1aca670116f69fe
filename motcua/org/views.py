"""The role switcher: a person with several roles picks the role and unit she works in now."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.org.context import choose_role


@login_required
@require_POST
def switch_role(request: HttpRequest) -> HttpResponse:
    """Store the chosen role and unit in the session, then go to that role's home page."""
    try:
        pk = int(request.POST.get("role", ""))
    except ValueError:
        raise Http404 from None
    choice = choose_role(request, pk)
    if choice is None:
        raise Http404
    messages.success(request, _("You now work as %(role)s.") % {"role": choice.label})
    target = request.POST.get("next", "")
    # A role's pages differ: stay on the page only when it is a staff page, else go to the role's home.
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "dossiers:home")
