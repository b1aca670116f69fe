"""Messages that belong to no dossier: the sign-in code of the citizen portal."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.notify import conf, sms
from motcua.notify.kinds import MessageKind
from motcua.notify.models import MessageChannel
from motcua.notify.phones import normalise_phone
from motcua.notify.services.outbox import Draft, queue


@transaction.atomic
def send_direct_sms(*, phone: str, text: str, kind: str = MessageKind.SIGN_IN_CODE) -> int:
    """Queue one SMS to `phone` through the outbox (same channel, retries and delivery log as the rest)."""
    address = normalise_phone(phone)
    if not address:
        raise ValidationFailed(
            _("The phone number is not valid."), code="invalid_phone", fields={"phone": phone}
        )
    settings = conf.get()
    fitted = sms.fit(text, mode=settings.sms_unicode, max_segments=settings.sms_max_segments)
    # Each code is its own cause: a new code must never be swallowed as a repeat of the last one.
    return queue(
        [
            Draft(
                source=f"direct:{uuid.uuid4().hex}",
                kind=kind,
                channel=MessageChannel.SMS,
                recipient=address,
                body=fitted.text,
                unicode=fitted.unicode,
                segments=fitted.segments,
                language=settings.language,
            )
        ]
    )
