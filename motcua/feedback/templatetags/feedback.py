"""Parts of the feedback app shown on other apps' pages: rating a dossier, a procedure's published answers.

Each tag reads through a selector and renders one of this app's templates, so the pages that show them
(the public look-up, the citizen's dossier, the procedure page) need only `{% load feedback %}` and one tag.
"""

from __future__ import annotations

from typing import Any

from django import template

from motcua.dossiers.models import Dossier
from motcua.feedback.forms import RatingForm
from motcua.feedback.selectors import published_answers, rating_panel
from motcua.org.models import Role

register = template.Library()
ANSWERS_ON_PROCEDURE_PAGE = 5


@register.inclusion_tag("feedback/_rating_panel.html", takes_context=True)
def rating_box(context: template.Context, dossier: Dossier, secret: str = "") -> dict[str, Any]:
    """Rate an ended dossier: the form posts to the look-up rating (with `secret`) or the account's."""
    panel = rating_panel(dossier) if dossier is not None else None
    form = RatingForm(scheme=panel.scheme) if panel is not None and panel.can_rate else None
    secret = str(secret or "").strip().upper()
    return {"panel": panel, "form": form, "secret": secret, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("feedback/_staff_rating.html", takes_context=True)
def staff_rating(context: template.Context, dossier: Dossier) -> dict[str, Any]:
    """On the staff dossier page: the applicant's rating once given, or the way to the counter screen."""
    panel = rating_panel(dossier)
    staff = context.get("staff")
    at_counter = staff is not None and staff.role == Role.COUNTER_OFFICER
    return {"panel": panel, "dossier": dossier, "at_counter": at_counter}


@register.inclusion_tag("feedback/_procedure_answers.html")
def procedure_answers(procedure_code: str) -> dict[str, Any]:
    """The latest published answers about a procedure, with a link to all of them."""
    answers = list(published_answers(procedure_code)[:ANSWERS_ON_PROCEDURE_PAGE])
    return {"answers": answers, "procedure_code": procedure_code}


@register.filter
def level_label(panel: Any) -> str:
    """The label of the level a rating gave, in the scheme it was given under."""
    level = panel.scheme.level(panel.rating.level) if panel and panel.rating else None
    return str(level.label) if level else ""
