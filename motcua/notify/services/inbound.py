"""Answer "MC <code>" sent by SMS: the status, but only to the phone written on the dossier."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from django.db import transaction
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.notify import conf, sms
from motcua.notify.compose import TemplateCache, compose
from motcua.notify.context import dossier_context
from motcua.notify.kinds import MessageKind
from motcua.notify.models import MessageChannel
from motcua.notify.phones import normalise_phone, same_phone
from motcua.notify.recipients import citizen_preference
from motcua.notify.services.outbox import Draft, queue

LOOKUP = re.compile(r"^\s*MC\s+(?P<code>\S+)\s*$", re.IGNORECASE)
# Said to anyone whose message does not match a dossier filed with their phone: it reveals nothing.
NOT_FOUND = {
    "vi": "Không tìm thấy hồ sơ của số điện thoại này. Soạn MC <mã hồ sơ> để tra cứu hồ sơ bạn đã nộp.",
    "en": "No dossier filed with this phone matches. Text MC <dossier code> to look up your dossier.",
}


def _dossier_for(code: str, phone: str) -> Dossier | None:
    dossier = (
        Dossier.objects.filter(code__iexact=code)
        .select_related("receiving_point", "lead_agency", "procedure_version", "applicant")
        .first()
    )
    if dossier is None or not same_phone((dossier.applicant_snapshot or {}).get("phone"), phone):
        return None
    return dossier


@transaction.atomic
def answer_lookup(*, sender: str, text: str, message_id: str = "", now: dt.datetime | None = None) -> str:
    """Return the reply to an inbound SMS and, when it names the sender's dossier, queue it as an SMS too."""
    now = now or timezone.now()
    settings = conf.get()
    phone = normalise_phone(sender)
    match = LOOKUP.match(text or "")
    dossier = _dossier_for(match["code"], phone) if match and phone else None
    preference = citizen_preference(user_id=None, phone=phone, email="") if phone else None
    language = preference.language if preference else settings.language
    if dossier is None:
        fallback = NOT_FOUND.get(language, NOT_FOUND["vi"])
        return sms.fit(fallback, mode=settings.sms_unicode, max_segments=settings.sms_max_segments).text
    variables = dossier_context(dossier, language)
    composed = compose(MessageKind.LOOKUP_REPLY, MessageChannel.SMS, language, variables, TemplateCache())
    assert composed is not None
    if settings.inbound_enqueue_reply:
        # The gateway's own message id makes a retried callback queue nothing new.
        cause = message_id or hashlib.sha256(f"{phone}|{text}|{now:%Y%m%d%H%M}".encode()).hexdigest()[:32]
        queue(
            [
                Draft(
                    source=f"inbound:{cause}",
                    kind=MessageKind.LOOKUP_REPLY,
                    channel=MessageChannel.SMS,
                    recipient=phone,
                    body=composed.body,
                    unicode=composed.unicode,
                    segments=composed.segments,
                    language=language,
                    dossier_id=dossier.pk,
                )
            ]
        )
    return composed.body
