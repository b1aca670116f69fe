"""A citizen's (or staff member's) choice of channels and language, for the portal and the admin."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.core.models import User
from motcua.notify.models import ContactPreference, Language
from motcua.notify.phones import normalise_phone


@transaction.atomic
def set_contact_preference(
    *,
    user: User | None = None,
    phone: str = "",
    email: str = "",
    sms_enabled: bool = True,
    email_enabled: bool = True,
    language: str = Language.VI,
) -> ContactPreference:
    """Record which channels someone wants, keyed by account if there is one, else by phone or e-mail."""
    number = normalise_phone(phone)
    if phone and not number:
        raise ValidationFailed(
            _("The phone number is not valid."), code="invalid_phone", fields={"phone": phone}
        )
    if language not in Language.values:
        raise ValidationFailed(
            _("The language is not supported."), code="invalid_language", fields={"language": language}
        )
    if user is None and not (number or email):
        raise ValidationFailed(
            _("An account, a phone number or an e-mail address is needed."), code="preference_key_required"
        )
    values = {"sms_enabled": sms_enabled, "email_enabled": email_enabled, "language": language}
    if user is not None:
        preference, _created = ContactPreference.objects.select_for_update().update_or_create(
            user=user, defaults={**values, "phone": number, "email": email.strip().lower()}
        )
    elif number:
        preference, _created = ContactPreference.objects.select_for_update().update_or_create(
            phone=number, user=None, defaults=values
        )
    else:
        preference, _created = ContactPreference.objects.select_for_update().update_or_create(
            email=email.strip().lower(), user=None, defaults=values
        )
    return preference
