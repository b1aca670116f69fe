"""The variables a message template sees: plain strings in the recipient's language, never model objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from motcua.core.models import User
from motcua.core.refcache import ReferenceCache
from motcua.dossiers.forms import lookup_url  # the receipt QR code's address, the same in messages
from motcua.dossiers.models import Dossier, DossierStep
from motcua.notify import conf
from motcua.notify.kinds import DELIVERY_TEXT, STATUS_TEXT

Context = dict[str, Any]

UNASSIGNED = {"vi": "chưa phân công", "en": "not assigned"}
THRESHOLD_UNITS = {
    "vi": {"d": "ngày làm việc", "h": "giờ làm việc"},
    "en": {"d": "working day(s)", "h": "working hour(s)"},
}


def moment(value: dt.datetime | str | None) -> str:
    """Format a moment as the forms do, hh:mm dd/mm/yyyy in Vietnam time."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return timezone.localtime(value, timezone.get_default_timezone()).strftime("%H:%M %d/%m/%Y")


def person(user: User | None) -> str:
    if user is None:
        return ""
    return user.full_name or user.get_full_name() or user.get_username()


def threshold_text(label: str, language: str) -> str:
    """Say "1d" as "1 ngày làm việc" / "1 working day(s)"."""
    if not label:
        return ""
    units = THRESHOLD_UNITS.get(language, THRESHOLD_UNITS["vi"])
    return f"{label[:-1]} {units.get(label[-1], label[-1])}"


@dataclass(frozen=True)
class _Names:
    procedure: str
    point: str
    point_phone: str
    agency: str


_RELATED = ("procedure_version", "receiving_point", "lead_agency")


def _names(dossier: Dossier) -> _Names:
    """Return the names a message shows, from the loaded rows or from the names cache."""
    fields = [Dossier._meta.get_field(name) for name in _RELATED]
    if all(f.is_cached(dossier) for f in fields):  # type: ignore[union-attr]
        at = dossier.receiving_point
        return _Names(dossier.procedure_version.name, at.name, at.phone, dossier.lead_agency.name)
    key = (dossier.procedure_version_id, dossier.receiving_point_id, dossier.lead_agency_id)
    found = _NAMES.get(key)
    if found is None:
        raise Dossier.DoesNotExist(f"{dossier.code}: its procedure version, point or agency is gone")
    return found


def _read_names(key: tuple[int, int, int]) -> _Names | None:
    fields = [Dossier._meta.get_field(name) for name in _RELATED]
    quote = connection.ops.quote_name
    version, point, agency = (quote(f.related_model._meta.db_table) for f in fields)  # type: ignore[union-attr]
    # Every message about a dossier needs these: one statement instead of three primary-key reads.
    sql = (
        f"SELECT v.name, p.name, p.phone, a.name FROM {version} v, {point} p, {agency} a"
        " WHERE v.id = %s AND p.id = %s AND a.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(key))
        row = cursor.fetchone()
    return _Names(*row) if row else None


# Procedure versions, points and agencies are reference tables: their names are cached (core/refcache.py).
_NAMES: ReferenceCache[tuple[int, int, int], _Names | None] = ReferenceCache(_read_names)


def dossier_context(dossier: Dossier, language: str) -> Context:
    """Return the variables every message about `dossier` may use."""
    settings = conf.get()
    snapshot = dossier.applicant_snapshot or {}
    names = _names(dossier)
    hint = ""
    if settings.sms_lookup_number:
        hint = (
            f"Tra cứu: soạn MC {dossier.code} gửi {settings.sms_lookup_number}"
            if language == "vi"
            else f"Look-up: text MC {dossier.code} to {settings.sms_lookup_number}"
        )
    return {
        "code": dossier.code,
        "procedure": names.procedure,
        "status": status_text(dossier.status, language),
        "applicant_name": snapshot.get("name") or dossier.applicant.name,
        "point": names.point,
        "point_phone": names.point_phone,
        "agency": names.agency,
        "due_at": moment(dossier.due_at),
        "lookup_url": lookup_url(dossier),
        "lookup_hint": hint,
        "at": "",
    }


def status_text(status: str, language: str) -> str:
    return STATUS_TEXT.get(language, STATUS_TEXT["vi"]).get(status, status)


def delivery_text(method: str, language: str) -> str:
    return DELIVERY_TEXT.get(language, DELIVERY_TEXT["vi"]).get(method, method)


def step_context(step: DossierStep, language: str) -> Context:
    """Return the variables about a step that staff messages use."""
    holder = person(step.assigned_to) if step.assigned_to_id else UNASSIGNED.get(language, UNASSIGNED["vi"])
    return {
        "step": step.name,
        "step_agency": step.agency.name,
        "step_due_at": moment(step.due_at),
        "holder": holder,
    }
