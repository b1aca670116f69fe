"""Who is told: the applicant on the channels she wants, staff by role, agencies by their own addresses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, Value
from django.db.models.functions import Lower
from django.db.models.lookups import Exact

from motcua.core.models import User
from motcua.core.rows import Prepared
from motcua.dossiers.models import Dossier
from motcua.notify import conf
from motcua.notify.models import ContactPreference, MessageChannel
from motcua.notify.phones import normalise_phone
from motcua.org.models import Agency, Role, ServicePoint


@dataclass(frozen=True)
class Recipient:
    channel: str
    address: str
    language: str
    name: str = ""
    user_id: int | None = None


# Every message to an applicant looks her preference up: compiled once, it is one short read.
# A missing part is given as a value no row holds (id 0, an address that is not one).
_NOBODY = "-"
_PREFERENCES = Prepared(
    lambda user_id, phone, email: ContactPreference.objects.filter(
        Q(user_id=user_id) | Q(phone=phone) | Exact(Lower("email"), Lower(Value(email)))
    ).order_by("pk")[:3],
    track=False,
    user_id=int,
    phone=str,
    email=str,
)


def citizen_preference(
    *, user_id: int | None, phone: str, email: str, found: list[ContactPreference] | None = None
) -> ContactPreference | None:
    """Find the applicant's preference by account first, then by phone, then by e-mail.

    `found`: the rows `preference_read` fetched for these same details, if they were read already.
    """
    if not (user_id or phone or email):
        return None
    rows = found if found is not None else _PREFERENCES.rows(**_preference_values(user_id, phone, email))
    for match in (
        lambda p: user_id and p.user_id == user_id,
        lambda p: phone and p.phone == phone,
        lambda p: email and p.email.lower() == email.lower(),
    ):
        found_one = next((p for p in rows if match(p)), None)
        if found_one is not None:
            return found_one
    return None


def _preference_values(user_id: int | None, phone: str, email: str) -> dict[str, Any]:
    return {"user_id": user_id or 0, "phone": phone or _NOBODY, "email": email or _NOBODY}


def _citizen_contact(dossier: Dossier) -> tuple[int | None, str, str]:
    """The applicant's account, phone and e-mail as filed (the account's as a fall-back)."""
    snapshot = dossier.applicant_snapshot or {}
    citizen = dossier.citizen
    phone = normalise_phone(snapshot.get("phone") or (citizen.phone if citizen else ""))
    email = (snapshot.get("email") or (citizen.email if citizen else "") or "").strip()
    return dossier.citizen_id, phone, email


# Where a dossier keeps the preference rows read for its next message (see `preference_read`).
_KEPT = "_citizen_preference_rows"


def preference_read(dossier: Dossier) -> tuple[Prepared[ContactPreference], dict[str, Any]] | None:
    """The read of the applicant's preference, to send with the operation's writes (one round trip).

    Give what it found to `keep_preference`; the next `citizen_recipients` of this dossier uses it.
    """
    contact = _citizen_contact(dossier)
    return (_PREFERENCES, _preference_values(*contact)) if any(contact) else None


def keep_preference(dossier: Dossier, values: dict[str, Any], found: list[ContactPreference]) -> None:
    """Keep the rows `preference_read` (which gave `values`) found, for the dossier's next message."""
    dossier.__dict__[_KEPT] = (values, found)


def citizen_recipients(dossier: Dossier) -> list[Recipient]:
    """Return the applicant's phone and e-mail as filed (the account's as a fall-back), per preference."""
    user_id, phone, email = _citizen_contact(dossier)
    # Rows read with this operation's writes serve one message, for the same details: a later one reads again.
    kept = dossier.__dict__.pop(_KEPT, None)
    found = kept[1] if kept is not None and kept[0] == _preference_values(user_id, phone, email) else None
    preference = citizen_preference(user_id=user_id, phone=phone, email=email, found=found)
    name = (dossier.applicant_snapshot or {}).get("name", "")
    return _as_preferred(phone, email, preference, name, user_id)


def _as_preferred(
    phone: str, email: str, preference: ContactPreference | None, name: str, user_id: int | None
) -> list[Recipient]:
    """The phone and e-mail given, on the channels the preference allows, in its language."""
    language = preference.language if preference else conf.get().language
    recipients = []
    if phone and (preference is None or preference.sms_enabled):
        recipients.append(Recipient(MessageChannel.SMS, phone, language, name, user_id))
    if email and (preference is None or preference.email_enabled):
        recipients.append(Recipient(MessageChannel.EMAIL, email, language, name, user_id))
    return recipients


def staff_recipients(users: Iterable[User | None]) -> list[Recipient]:
    """Return staff e-mail addresses, plus SMS for those who turned it on and have a phone (once each)."""
    people = {u.pk: u for u in users if u is not None and u.is_active}
    preferences = {p.user_id: p for p in ContactPreference.objects.filter(user_id__in=list(people))}
    default_language = conf.get().language
    found = []
    for user in people.values():
        preference = preferences.get(user.pk)
        language = preference.language if preference else default_language
        name = user.full_name or user.get_username()
        if user.email and (preference is None or preference.email_enabled):
            found.append(Recipient(MessageChannel.EMAIL, user.email, language, name, user.pk))
        phone = normalise_phone(user.phone)
        # Staff SMS is opt-in: it costs money and e-mail reaches them at their desk.
        if phone and preference is not None and preference.sms_enabled:
            found.append(Recipient(MessageChannel.SMS, phone, language, name, user.pk))
    return found


def agency_inbox(agency: Agency) -> list[Recipient]:
    if not agency.email:
        return []
    return [Recipient(MessageChannel.EMAIL, agency.email, conf.get().language, agency.name)]


def leaders_of(agency: Agency, roles: Iterable[str]) -> list[User]:
    """Return the active holders of `roles` in the agency, climbing to its parents until someone is found.

    A division (phòng) may have no leader of its own in MotCua: its parent agency's leaders oversee it.
    """
    current: Agency | None = agency
    seen: set[int] = set()
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        found = list(
            User.objects.filter(
                staff_roles__agency=current,
                staff_roles__role__in=list(roles),
                staff_roles__is_active=True,
                is_active=True,
            ).distinct()
        )
        if found:
            return found
        current = current.parent
    return []


def unit_leaders(agency: Agency) -> list[User]:
    """Who oversees the day-to-day work of an agency: unit leaders, else its agency leaders."""
    return leaders_of(agency, [Role.UNIT_LEADER]) or leaders_of(agency, [Role.AGENCY_LEADER])


def agency_leaders(agency: Agency) -> list[User]:
    return leaders_of(agency, [Role.AGENCY_LEADER])


def centre_directors(dossier: Dossier) -> list[User]:
    return list(
        User.objects.filter(
            staff_roles__service_point_id=dossier.receiving_point_id,
            staff_roles__role=Role.CENTRE_DIRECTOR,
            staff_roles__is_active=True,
            is_active=True,
        ).distinct()
    )


def sender_recipients(*, user_id: int | None, phone: str, email: str, name: str) -> list[Recipient]:
    """Return the phone and e-mail a feedback's sender gave, on the channels her preference allows."""
    phone = normalise_phone(phone)
    email = email.strip()
    preference = citizen_preference(user_id=user_id, phone=phone, email=email)
    return _as_preferred(phone, email, preference, name, user_id)


def point_leaders(point_id: int, agency: Agency) -> list[User]:
    """The directors of a service point (and of the centres above it), else the leaders of its agency."""
    points: list[int] = []
    current: int | None = point_id
    while current is not None and current not in points:
        points.append(current)
        current = ServicePoint.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    directors = list(
        User.objects.filter(
            staff_roles__service_point_id__in=points,
            staff_roles__role=Role.CENTRE_DIRECTOR,
            staff_roles__is_active=True,
            is_active=True,
        ).distinct()
    )
    return directors or agency_leaders(agency)
