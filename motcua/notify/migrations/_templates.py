"""Load the shipped wording of message kinds into editable templates (for the notify migrations).

Not a migration itself (Django skips modules whose name starts with "_"). An administrator's edits stay:
a template already there is left as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def ship(apps: Any, kinds: Iterable[str]) -> None:
    from motcua.notify.defaults import EMAIL, SMS

    wanted = set(kinds)
    MessageTemplate = apps.get_model("notify", "MessageTemplate")
    for (kind, language), body in SMS.items():
        if kind in wanted:
            MessageTemplate.objects.get_or_create(
                kind=kind, channel="sms", language=language, defaults={"subject": "", "body": body}
            )
    for (kind, language), (subject, body) in EMAIL.items():
        if kind in wanted:
            MessageTemplate.objects.get_or_create(
                kind=kind, channel="email", language=language, defaults={"subject": subject, "body": body}
            )


def unship(apps: Any, kinds: Iterable[str]) -> None:
    apps.get_model("notify", "MessageTemplate").objects.filter(kind__in=list(kinds)).delete()
