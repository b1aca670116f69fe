"""The variables a message template sees: plain strings in the recipient's language, never model objects."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings as django_settings
from django.utils import timezone

from motcua.core.models import User
from motcua.core.rows import load_related
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


def lookup_url(dossier: Dossier) -> str:
    """Return the public look-up address, as printed on the receipt's QR code."""
    base = str(getattr(django_settings, "MOTCUA", {}).get("PUBLIC_URL") or "http://127.0.0.1:8000").rstrip(
        "/"
    )
    return f"{base}/tra-cuu/{dossier.code}?secret={dossier.lookup_secret}"


def dossier_context(dossier: Dossier, language: str) -> Context:
    """Return the variables every message about `dossier` may use."""
    settings = conf.get()
    snapshot = dossier.applicant_snapshot or {}
    load_related(dossier, "receiving_point", "procedure_version", "lead_agency")
    point = dossier.receiving_point
    hint = ""
    if settings.sms_lookup_number:
        hint = (
            f"Tra cứu: soạn MC {dossier.code} gửi {settings.sms_lookup_number}"
            if language == "vi"
            else f"Look-up: text MC {dossier.code} to {settings.sms_lookup_number}"
        )
    return {
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "status": status_text(dossier.status, language),
        "applicant_name": snapshot.get("name") or dossier.applicant.name,
        "point": point.name,
        "point_phone": point.phone,
        "agency": dossier.lead_agency.name,
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
