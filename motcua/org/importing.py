"""Import a province's organisation from the documented JSON file (docs/org-format.md)."""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.org.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    Counter,
    Role,
    ServicePoint,
    ServicePointKind,
    StaffRole,
    UnitLevel,
)
from motcua.org.services import make_province_admin

FORMAT = "motcua-org/1"
SECTIONS = ("levels", "units", "agencies", "service_points", "counters", "staff")


@dataclass
class ImportReport:
    created: Tally[str] = field(default_factory=Tally)
    updated: Tally[str] = field(default_factory=Tally)
    unchanged: Tally[str] = field(default_factory=Tally)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def summary(self) -> str:
        parts = []
        for section in SECTIONS:
            c, u, n = self.created[section], self.updated[section], self.unchanged[section]
            if c or u or n:
                parts.append(f"{section}: {c} created, {u} updated, {n} unchanged")
        return "; ".join(parts) or "nothing to import"


class _Checker:
    """Collect every problem of a document before anything is written."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def require(self, record: dict, path: str, key: str, kind: type = str) -> Any:
        value = record.get(key)
        if value is None or (kind is str and not str(value).strip()):
            self.errors.append(f"{path}.{key}: required")
            return None
        if not isinstance(value, kind):
            self.errors.append(f"{path}.{key}: must be a {kind.__name__}")
            return None
        return value

    def choice(self, record: dict, path: str, key: str, choices: list[str]) -> None:
        value = record.get(key)
        if value not in choices:
            self.errors.append(f"{path}.{key}: must be one of {', '.join(choices)}; got {value!r}")

    def ref(self, value: Any, path: str, known: set[str], what: str) -> None:
        if value is not None and value not in known:
            self.errors.append(f"{path}: unknown {what} {value!r}")

    def date(self, record: dict, path: str, key: str) -> None:
        value = record.get(key)
        if value is None:
            return
        try:
            dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.errors.append(f"{path}.{key}: must be a date YYYY-MM-DD; got {value!r}")


def _known(model: type[models.Model], key: str = "code") -> set[str]:
    return set(model._default_manager.values_list(key, flat=True))


def validate_org(data: Any) -> list[str]:
    """Return every error in the document, each naming the record and the field."""
    check = _Checker()
    if not isinstance(data, dict):
        return ["document: must be a JSON object"]
    if data.get("format") != FORMAT:
        check.errors.append(f"format: must be {FORMAT!r}")
    unknown = set(data) - {"format", *SECTIONS}
    if unknown:
        check.errors.append(f"document: unknown keys {sorted(unknown)}")
    for section in SECTIONS:
        if not isinstance(data.get(section, []), list):
            check.errors.append(f"{section}: must be a list")
            return check.errors

    levels = _known(UnitLevel) | {r.get("code") for r in data.get("levels", [])}
    units = _known(AdministrativeUnit) | {r.get("code") for r in data.get("units", [])}
    agencies = _known(Agency) | {r.get("code") for r in data.get("agencies", [])}
    points = _known(ServicePoint) | {r.get("code") for r in data.get("service_points", [])}
    from motcua.catalog.models import Field as CatalogField

    fields = _known(CatalogField)

    for i, rec in enumerate(data.get("levels", [])):
        path = f"levels[{i}] ({rec.get('code')})"
        check.require(rec, path, "code")
        check.require(rec, path, "name")
        check.require(rec, path, "rank", int)
    for i, rec in enumerate(data.get("units", [])):
        path = f"units[{i}] ({rec.get('code')})"
        check.require(rec, path, "code")
        check.require(rec, path, "name")
        check.ref(check.require(rec, path, "level"), f"{path}.level", levels, "level")
        check.ref(rec.get("parent"), f"{path}.parent", units, "unit")
        check.date(rec, path, "dissolved_on")
    for i, rec in enumerate(data.get("agencies", [])):
        path = f"agencies[{i}] ({rec.get('code')})"
        code = check.require(rec, path, "code")
        if code and len(code) > 35:
            check.errors.append(f"{path}.code: at most 35 characters (Decision 20/2020)")
        check.require(rec, path, "name")
        check.choice(rec, path, "kind", list(AgencyKind.values))
        check.ref(check.require(rec, path, "unit"), f"{path}.unit", units, "unit")
        check.ref(rec.get("parent"), f"{path}.parent", agencies, "agency")
        check.ref(rec.get("merged_into"), f"{path}.merged_into", agencies, "agency")
        if rec.get("merged_into") and rec.get("is_active", True):
            check.errors.append(f"{path}.is_active: a merged agency must be inactive")
        check.date(rec, path, "merged_on")
    for i, rec in enumerate(data.get("service_points", [])):
        path = f"service_points[{i}] ({rec.get('code')})"
        check.require(rec, path, "code")
        check.require(rec, path, "name")
        check.choice(rec, path, "kind", list(ServicePointKind.values))
        check.ref(check.require(rec, path, "unit"), f"{path}.unit", units, "unit")
        check.ref(check.require(rec, path, "agency"), f"{path}.agency", agencies, "agency")
        check.ref(rec.get("parent"), f"{path}.parent", points, "service point")
        for j, code in enumerate(rec.get("served_agencies", [])):
            check.ref(code, f"{path}.served_agencies[{j}]", agencies, "agency")
    for i, rec in enumerate(data.get("counters", [])):
        path = f"counters[{i}] ({rec.get('service_point')} #{rec.get('number')})"
        check.ref(check.require(rec, path, "service_point"), f"{path}.service_point", points, "service point")
        check.require(rec, path, "number", int)
        check.require(rec, path, "name")
        check.ref(rec.get("agency"), f"{path}.agency", agencies, "agency")
        for j, code in enumerate(rec.get("fields", [])):
            check.ref(code, f"{path}.fields[{j}]", fields, "catalog field (import the catalog fields first)")
    for i, rec in enumerate(data.get("staff", [])):
        path = f"staff[{i}] ({rec.get('username')})"
        check.require(rec, path, "username")
        for j, role in enumerate(rec.get("roles", [])):
            rpath = f"{path}.roles[{j}]"
            check.choice(role, rpath, "role", list(Role.values))
            scope = {
                Role.COUNTER_OFFICER: "service_point",
                Role.CENTRE_DIRECTOR: "service_point",
                Role.PROVINCE_ADMIN: "admin_unit",
            }.get(role.get("role"), "agency")
            known = {"service_point": points, "admin_unit": units, "agency": agencies}[scope]
            check.ref(check.require(role, rpath, scope), f"{rpath}.{scope}", known, scope.replace("_", " "))
            extra = {"service_point", "agency", "admin_unit"} - {scope}
            for key in extra & set(role):
                check.errors.append(f"{rpath}.{key}: not allowed for role {role.get('role')}")
    return check.errors


def _upsert(
    report: ImportReport, section: str, model: type[models.Model], lookup: dict, values: dict
) -> models.Model:
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model._default_manager.create(**lookup, **values)
        report.created[section] += 1
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for key in changed:
            setattr(obj, key, values[key])
        obj.save(update_fields=changed)
        report.updated[section] += 1
    else:
        report.unchanged[section] += 1
    return obj


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@transaction.atomic
def import_org(data: Any) -> ImportReport:
    """Validate the whole document, then create or update every record in one transaction."""
    errors = validate_org(data)
    if errors:
        raise ValidationFailed(
            _("The organisation file is not valid: %(errors)s") % {"errors": "; ".join(errors[:20])},
            code="invalid_org_file",
            fields={"errors": errors},
        )
    report = ImportReport()
    for rec in data.get("levels", []):
        _upsert(
            report, "levels", UnitLevel, {"code": rec["code"]}, {"name": rec["name"], "rank": rec["rank"]}
        )
    _import_units(report, data.get("units", []))
    _import_agencies(report, data.get("agencies", []))
    _import_points(report, data.get("service_points", []))
    _import_counters(report, data.get("counters", []))
    _import_staff(report, data.get("staff", []))
    return report


def _import_units(report: ImportReport, records: list[dict]) -> None:
    # Parents may come later in the file: create first, link parents in a second pass.
    for rec in records:
        _upsert(
            report,
            "units",
            AdministrativeUnit,
            {"code": rec["code"]},
            {
                "name": rec["name"],
                "level": UnitLevel.objects.get(code=rec["level"]),
                "is_active": rec.get("is_active", True),
                "dissolved_on": _date(rec.get("dissolved_on")),
            },
        )
    by_code = {u.code: u for u in AdministrativeUnit.objects.all()}
    for rec in records:
        unit = by_code[rec["code"]]
        parent = by_code.get(rec["parent"]) if rec.get("parent") else None
        if unit.parent_id != (parent.pk if parent else None):
            unit.parent = parent
            unit.save(update_fields=["parent"])


def _import_agencies(report: ImportReport, records: list[dict]) -> None:
    units = {u.code: u for u in AdministrativeUnit.objects.all()}
    for rec in records:
        _upsert(
            report,
            "agencies",
            Agency,
            {"code": rec["code"]},
            {
                "legacy_code": rec.get("legacy_code", ""),
                "name": rec["name"],
                "short_name": rec.get("short_name", ""),
                "kind": rec["kind"],
                "sector": rec.get("sector", ""),
                "unit": units[rec["unit"]],
                "is_active": rec.get("is_active", True),
                "merged_on": _date(rec.get("merged_on")),
                "address": rec.get("address", ""),
                "phone": rec.get("phone", ""),
                "email": rec.get("email", ""),
            },
        )
    by_code = {a.code: a for a in Agency.objects.all()}
    for rec in records:
        agency = by_code[rec["code"]]
        links = {
            "parent_id": by_code[rec["parent"]].pk if rec.get("parent") else None,
            "merged_into_id": by_code[rec["merged_into"]].pk if rec.get("merged_into") else None,
        }
        changed = [k for k, v in links.items() if getattr(agency, k) != v]
        for key in changed:
            setattr(agency, key, links[key])
        if changed:
            agency.save(update_fields=[k.removesuffix("_id") for k in changed])


def _import_points(report: ImportReport, records: list[dict]) -> None:
    units = {u.code: u for u in AdministrativeUnit.objects.all()}
    agencies = {a.code: a for a in Agency.objects.all()}
    for rec in records:
        point = _upsert(
            report,
            "service_points",
            ServicePoint,
            {"code": rec["code"]},
            {
                "name": rec["name"],
                "kind": rec["kind"],
                "unit": units[rec["unit"]],
                "agency": agencies[rec["agency"]],
                "calendar_code": rec.get("calendar_code", ""),
                "address": rec.get("address", ""),
                "phone": rec.get("phone", ""),
                "email": rec.get("email", ""),
                "is_active": rec.get("is_active", True),
            },
        )
        assert isinstance(point, ServicePoint)
        wanted = {agencies[c].pk for c in rec.get("served_agencies", [])}
        if set(point.served_agencies.values_list("pk", flat=True)) != wanted:
            point.served_agencies.set(wanted)
    by_code = {p.code: p for p in ServicePoint.objects.all()}
    for rec in records:
        point = by_code[rec["code"]]
        parent_id = by_code[rec["parent"]].pk if rec.get("parent") else None
        if point.parent_id != parent_id:
            point.parent_id = parent_id
            point.save(update_fields=["parent"])


def _import_counters(report: ImportReport, records: list[dict]) -> None:
    from motcua.catalog.models import Field as CatalogField

    points = {p.code: p for p in ServicePoint.objects.all()}
    agencies = {a.code: a for a in Agency.objects.all()}
    fields = {f.code: f for f in CatalogField.objects.all()}
    for rec in records:
        counter = _upsert(
            report,
            "counters",
            Counter,
            {"service_point": points[rec["service_point"]], "number": rec["number"]},
            {
                "name": rec["name"],
                "agency": agencies[rec["agency"]] if rec.get("agency") else None,
                "is_active": rec.get("is_active", True),
            },
        )
        assert isinstance(counter, Counter)
        wanted = {fields[c].pk for c in rec.get("fields", [])}
        if set(counter.fields.values_list("pk", flat=True)) != wanted:
            counter.fields.set(wanted)


def _import_staff(report: ImportReport, records: list[dict]) -> None:
    user_model = get_user_model()
    lookups: dict[str, dict[str, Any]] = {
        "service_point": {p.code: p for p in ServicePoint.objects.all()},
        "agency": {a.code: a for a in Agency.objects.all()},
        "admin_unit": {u.code: u for u in AdministrativeUnit.objects.all()},
    }
    for rec in records:
        user = user_model.objects.filter(username=rec["username"]).first()
        values = {
            "full_name": rec.get("full_name", ""),
            "email": rec.get("email", ""),
            "phone": rec.get("phone", ""),
        }
        if user is None:
            # Imported accounts get no usable password: people set one through the reset flow.
            user = user_model(username=rec["username"], **values)
            user.set_unusable_password()
            user.save()
            report.created["staff"] += 1
        elif any(getattr(user, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(user, key, value)
            user.save(update_fields=list(values))
            report.updated["staff"] += 1
        else:
            report.unchanged["staff"] += 1
        for role in rec.get("roles", []):
            scope_key = next(k for k in lookups if k in role)
            scope = lookups[scope_key][role[scope_key]]
            counter = None
            if role.get("counter") is not None and scope_key == "service_point":
                counter = Counter.objects.filter(service_point=scope, number=role["counter"]).first()
            staff_role, created = StaffRole.objects.get_or_create(
                user=user, role=role["role"], **{scope_key: scope}, defaults={"counter": counter}
            )
            if not created and (
                staff_role.counter_id != (counter.pk if counter else None) or not staff_role.is_active
            ):
                staff_role.counter = counter
                staff_role.is_active = True
                staff_role.save(update_fields=["counter", "is_active"])
            if role["role"] == Role.PROVINCE_ADMIN:
                make_province_admin(user)
