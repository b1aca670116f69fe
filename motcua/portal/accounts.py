"""Citizen accounts: normalise phone numbers and e-mails, and find or create the account of an identity."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.core.models import User
from motcua.portal.models import CitizenIdentity

if TYPE_CHECKING:
    from motcua.portal.identity import VerifiedIdentity

_SEPARATORS = re.compile(r"[\s.\-()]")
# Vietnamese numbers: 10 digits for mobiles (03x, 05x, 07x, 08x, 09x), 11 for landlines (02xx).
_PHONE = re.compile(r"0\d{9,10}")


def normalise_phone(text: str) -> str | None:
    """Return a phone number as 0xxxxxxxxx ("+84 912 345 678" → "0912345678"), or None."""
    digits = _SEPARATORS.sub("", text.strip())
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits if _PHONE.fullmatch(digits) else None


def normalise_identifier(text: str) -> str:
    """Return the normalised phone number or lower-case e-mail, or raise ValidationFailed."""
    text = text.strip()
    if "@" in text:
        email = text.lower()
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationFailed(
                _("The e-mail address is not valid."),
                code="invalid_identifier",
                fields={"identifier": "email"},
            ) from None
        return email
    phone = normalise_phone(text)
    if phone is None:
        raise ValidationFailed(
            _("Enter a phone number (for example 0912345678) or an e-mail address."),
            code="invalid_identifier",
            fields={"identifier": "phone"},
        )
    return phone


def is_email(identifier: str) -> bool:
    return "@" in identifier


def is_staff_account(user: User) -> bool:
    """Staff sign in with a password; a one-time code never opens a staff account."""
    return user.is_staff or user.is_superuser or user.staff_roles.exists()


def _existing_account(identity: VerifiedIdentity) -> User | None:
    linked = (
        CitizenIdentity.objects.select_related("user")
        .filter(provider=identity.provider, subject=identity.subject)
        .first()
    )
    if linked is not None:
        return linked.user
    by_username = User.objects.filter(username=identity.subject).first()
    if by_username is not None:
        return by_username
    # An account made at the counter or by the demo loader may carry the phone or e-mail: link it if unique.
    contact = Q(phone=identity.phone) if identity.phone else Q(email__iexact=identity.email)
    matches = (
        list(User.objects.filter(contact, is_active=True)[:2]) if identity.phone or identity.email else []
    )
    return matches[0] if len(matches) == 1 else None


@transaction.atomic
def account_for(identity: VerifiedIdentity, *, full_name: str = "") -> User:
    """Return the citizen account of a verified identity, creating and linking it the first time."""
    user = _existing_account(identity)
    if user is not None and (not user.is_active or is_staff_account(user)):
        raise ValidationFailed(
            _("This account does not sign in with a verification code. Staff sign in on the staff page."),
            code="not_a_citizen_account",
        )
    if user is None:
        user = User(
            username=identity.subject[:150],
            phone=identity.phone,
            email=identity.email,
            full_name=(full_name or identity.full_name).strip()[:200],
        )
        user.set_unusable_password()
        user.save()
    elif full_name.strip() and not user.full_name:
        user.full_name = full_name.strip()[:200]
        user.save(update_fields=["full_name"])
    CitizenIdentity.objects.update_or_create(
        provider=identity.provider,
        subject=identity.subject,
        defaults={"user": user, "last_used_at": timezone.now()},
    )
    return user
