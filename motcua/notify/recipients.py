"""Who is told: the applicant on the channels she wants, staff by role, agencies by their own addresses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, Value
from django.db.models.functions import Lower
from django.db.models.lookups import Exact

from motcua.core.models import User
from motcua.core.rows import Prepared
from motcua.dossiers.models import Dossier
from motcua.notify import conf
from motcua.notify.models import ContactPreference, MessageChannel
from motcua.notify.phones import normalise_phone
from motcua.org.models import Agency, Role


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


def citizen_preference(*, user_id: int | None, phone: str, email: str) -> ContactPreference | None:
    """Find the applicant's preference by account first, then by phone, then by e-mail."""
    if not (user_id or phone or email):
        return None
    rows = _PREFERENCES.rows(user_id=user_id or 0, phone=phone or _NOBODY, email=email or _NOBODY)
    for match in (
        lambda p: user_id and p.user_id == user_id,
        lambda p: phone and p.phone == phone,
        lambda p: email and p.email.lower() == email.lower(),
    ):
        found = next((p for p in rows if match(p)), None)
        if found is not None:
            return found
    return None


def citizen_recipients(dossier: Dossier) -> list[Recipient]:
    """Return the applicant's phone and e-mail as filed (the account's as a fall-back), per preference."""
    snapshot = dossier.applicant_snapshot or {}
    citizen = dossier.citizen
    phone = normalise_phone(snapshot.get("phone") or (citizen.phone if citizen else ""))
    email = (snapshot.get("email") or (citizen.email if citizen else "") or "").strip()
    preference = citizen_preference(user_id=dossier.citizen_id, phone=phone, email=email)
    language = preference.language if preference else conf.get().language
    name = snapshot.get("name", "")
    found = []
    if phone and (preference is None or preference.sms_enabled):
        found.append(Recipient(MessageChannel.SMS, phone, language, name, dossier.citizen_id))
    if email and (preference is None or preference.email_enabled):
        found.append(Recipient(MessageChannel.EMAIL, email, language, name, dossier.citizen_id))
    return found


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
