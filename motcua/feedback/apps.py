from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    label = "feedback"
    verbose_name = _("Ratings and feedback")

    def ready(self) -> None:
        checks.register(check_scheme_file, checks.Tags.compatibility)


def check_scheme_file(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """`manage.py check` (and every server start) reads the satisfaction scheme file and lists its errors."""
    from motcua.feedback.schemes import SchemeError, all_schemes, scheme_file

    try:
        all_schemes()
    except (OSError, ValueError) as error:
        problems = error.problems if isinstance(error, SchemeError) else [str(error)]
        return [checks.Error(problem, obj=str(scheme_file()), id="feedback.E001") for problem in problems]
    return []
