"""Load the demo province: organisation, calendar, catalog and demo accounts. Safe to repeat."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog.importing import import_catalog
from motcua.core.errors import ValidationFailed
from motcua.dossiers.demo import load_demo_dossiers
from motcua.feedback.demo import load_demo_feedback
from motcua.org.importing import import_org
from motcua.payments.demo import load_demo_payments
from motcua.payments.services import sign_waiting_receipts
from motcua.signing.demo import load_demo_certificates
from motcua.workdays.models import OfficeCalendar
from motcua.workdays.services import import_announcement_file

ROOT = Path(__file__).resolve().parents[1]
ORG_FILE = ROOT / "org" / "data" / "demo_province.json"
CATALOG_FILES = [
    ROOT / "catalog" / "data" / "fields.json",
    ROOT / "catalog" / "data" / "demo_procedures.json",
    ROOT / "catalog" / "data" / "sample_procedures.json",
]
ANNOUNCED_DIR = ROOT / "workdays" / "data" / "announced"
DEMO_PASSWORD = "motcua-demo"
DEMO_CITIZEN = {"username": "congdan", "full_name": "Nguyễn Thị Dân", "phone": "0987000111"}


@dataclass
class DemoReport:
    lines: list[str] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    changed: bool = False


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _import_catalog(path: Path, report: DemoReport) -> None:
    result = import_catalog(_read(path))
    if not result.ok:
        raise ValidationFailed(
            _("%(file)s is not valid.") % {"file": path.name},
            code="invalid_catalog_file",
            fields={"errors": result.errors},
        )
    report.changed |= result.changed
    report.lines.append(f"catalog {path.name}: {result.summary()}")


@transaction.atomic
def load_demo() -> DemoReport:
    """Import everything the demo needs; the files live in the repository, never in ../shared."""
    report = DemoReport()
    # Fields first: counters name the fields they serve.
    _import_catalog(CATALOG_FILES[0], report)
    org = import_org(_read(ORG_FILE))
    report.changed |= org.changed
    report.lines.append(f"organisation: {org.summary()}")
    for path in CATALOG_FILES[1:]:
        _import_catalog(path, report)
    _calendar, created = OfficeCalendar.objects.get_or_create(
        code="hatinh",
        defaults={
            "name": "Giờ làm việc các cơ quan hành chính tỉnh Hà Tĩnh",
            "unit_code": "42",
            "is_default": True,
        },
    )
    report.changed |= created
    for path in sorted(ANNOUNCED_DIR.glob("*.json")):
        summary = import_announcement_file(path=path)
        report.changed |= bool(summary.created or summary.updated)
        report.lines.append(
            f"announced days {summary.year}: {summary.created} created, {summary.updated} updated, "
            f"{summary.unchanged} unchanged"
        )
    _set_demo_passwords(report)
    load_demo_certificates(report)
    load_demo_feedback(report)
    load_demo_payments(report)
    load_demo_dossiers(report)
    _seal_receipts(report)
    return report


def _seal_receipts(report: DemoReport) -> None:
    """Seal the demo's e-receipts now: `make run` starts no task worker to do it after each payment."""
    sealed = sign_waiting_receipts()
    if sealed.signed:
        report.changed = True
        report.lines.append(f"payments: {len(sealed.signed)} e-receipts sealed with their agencies' seals")


def _set_demo_passwords(report: DemoReport) -> None:
    user_model = get_user_model()
    staff = _read(ORG_FILE)["staff"]
    # One hash for every demo account: the password is printed for all to read, so a salt per account
    # would protect nothing, and 30 hashes at Django's cost took 6 of the demo's 25 seconds.
    encoded = make_password(DEMO_PASSWORD)
    for record in staff:
        user = user_model.objects.get(username=record["username"])
        # Only accounts nobody has set a password for: a repeated load never resets a changed password.
        if not user.has_usable_password():
            user.password = encoded
            user.save(update_fields=["password"])
        roles = ", ".join(sorted({r["role"] for r in record["roles"]}))
        report.logins.append((record["username"], record.get("full_name", ""), roles))
    citizen, created = user_model.objects.get_or_create(
        username=DEMO_CITIZEN["username"],
        defaults={"full_name": DEMO_CITIZEN["full_name"], "phone": DEMO_CITIZEN["phone"]},
    )
    if created:
        report.changed = True
        citizen.password = encoded
        citizen.save(update_fields=["password"])
    report.logins.append((citizen.username, DEMO_CITIZEN["full_name"], "citizen"))
