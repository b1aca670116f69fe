"""Reads over the catalog: the version in force, Vietnamese search, a version's content as values."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import and_

from django.db import connection
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Collate, Length
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.choices import ActorKind, OnlineLevel, RefKind, Status
from motcua.catalog.models import (
    Field,
    Procedure,
    ProcedureVersion,
    VersionAgency,
)
from motcua.catalog.spec import (
    AgencyRef,
    DocumentSpec,
    FeeSpec,
    StepSpec,
    TimeLimit,
    VersionContent,
)
from motcua.catalog.text import search_tokens
from motcua.core import rows
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.refcache import ReferenceCache
from motcua.org.models import Agency, UnitLevel

CONTENT_PREFETCH = (
    "levels",
    "agency_refs__agency",
    "channel_time_limits",
    "documents",
    "fees",
    "steps__agency",
    "replaces",
)


def as_local_date(at: dt.date | dt.datetime | None) -> dt.date:
    """Turn a moment into the calendar day it is in Việt Nam; None means today."""
    if at is None:
        return timezone.localdate()
    if isinstance(at, dt.datetime):
        return timezone.localdate(at) if timezone.is_aware(at) else at.date()
    return at


def in_force_q(day: dt.date, prefix: str = "") -> Q:
    """Match published versions whose dates cover `day` of procedures not abolished by then."""

    def q(**lookups: object) -> Q:
        return Q(**{prefix + key: value for key, value in lookups.items()})

    return (
        q(status=Status.PUBLISHED, effective_from__lte=day)
        & (q(effective_to__isnull=True) | q(effective_to__gte=day))
        # Abolition also closes the last version; checking it here keeps a stray row from showing.
        & (q(procedure__abolished_on__isnull=True) | q(procedure__abolished_on__gt=day))
    )


def versions_in_force(at: dt.date | dt.datetime | None = None) -> QuerySet[ProcedureVersion]:
    return ProcedureVersion.objects.filter(in_force_q(as_local_date(at)))


def bytewise(field: str) -> F | Collate:
    """Order a text column byte by byte, as SQLite does; PostgreSQL locale collations may skip spaces."""
    return Collate(F(field), "C") if connection.vendor == "postgresql" else F(field)


def get_procedure(code: str) -> Procedure:
    try:
        return Procedure.objects.select_related("replaced_by").get(code=code)
    except Procedure.DoesNotExist:
        raise NotFound(
            _("There is no administrative procedure with code %(code)s.") % {"code": code},
            code="procedure_not_found",
        ) from None


def version_in_force(procedure_or_code: Procedure | str, at: dt.date | dt.datetime) -> ProcedureVersion:
    """Return the published version in force on a day; raise NotFound when there is none."""
    procedure = get_procedure(procedure_or_code) if isinstance(procedure_or_code, str) else procedure_or_code
    day = as_local_date(at)
    _check_not_abolished(procedure, day)
    version = (
        procedure.versions.filter(in_force_q(day))
        .select_related("field", "lead_agency")
        .order_by("-effective_from")
    ).first()
    return _found(version, procedure, day)


_procedure_by_code = rows.Prepared(
    lambda code: Procedure.objects.filter(code=code).order_by(), track=False, code=str
)
_published_versions = rows.Prepared(
    lambda procedure: ProcedureVersion.objects.filter(
        procedure_id=procedure, status=Status.PUBLISHED
    ).order_by("-effective_from"),
    track=False,
    procedure=int,
)


def _read_filing_rows(code: str) -> tuple[Procedure | None, tuple[ProcedureVersion, ...]]:
    procedure = _procedure_by_code.first(code=code)
    if procedure is None:
        return None, ()
    return procedure, tuple(_published_versions.rows(procedure=procedure.pk))


# Procedures and their versions are reference data (core/refcache.py): intake reads them from here.
_filing_rows: ReferenceCache[str, tuple[Procedure | None, tuple[ProcedureVersion, ...]]] = ReferenceCache(
    _read_filing_rows
)


def version_for_filing(code: str, at: dt.date | dt.datetime) -> ProcedureVersion:
    """Return the version in force as version_in_force does, from the cached catalog rows for intake.

    Its field and lead agency are not loaded; a caller that needs them pays one read each. The
    version returned may be shared with other callers: read it, never change it.
    """
    procedure, published = _filing_rows.get(code)
    if procedure is None:
        raise NotFound(
            _("There is no administrative procedure with code %(code)s.") % {"code": code},
            code="procedure_not_found",
        )
    day = as_local_date(at)
    _check_not_abolished(procedure, day)
    # A procedure has a handful of published versions: pick the one in force here (as in_force_q).
    version = next(
        (
            v
            for v in published
            if v.effective_from <= day and (v.effective_to is None or v.effective_to >= day)
        ),
        None,
    )
    return _found(version, procedure, day)


def _check_not_abolished(procedure: Procedure, day: dt.date) -> None:
    if procedure.abolished_on is not None and day >= procedure.abolished_on:
        replaced_by = procedure.replaced_by.code if procedure.replaced_by is not None else None
        raise NotFound(
            _abolished_message(procedure.code, procedure.abolished_on, replaced_by),
            code="procedure_abolished",
            fields={"abolished_on": procedure.abolished_on.isoformat(), "replaced_by": replaced_by},
        )


def _abolished_message(code: str, abolished_on: dt.date, replaced_by: str | None) -> str:
    values = {"code": code, "date": f"{abolished_on:%d/%m/%Y}", "replacement": replaced_by}
    if replaced_by:
        return (
            _("Procedure %(code)s was abolished on %(date)s. It is replaced by procedure %(replacement)s.")
            % values
        )
    return _("Procedure %(code)s was abolished on %(date)s.") % values


def _found(version: ProcedureVersion | None, procedure: Procedure, day: dt.date) -> ProcedureVersion:
    if version is None:
        raise NotFound(
            _("Procedure %(code)s has no version in force on %(date)s.")
            % {"code": procedure.code, "date": f"{day:%d/%m/%Y}"},
            code="no_version_in_force",
            fields={"at": day.isoformat()},
        )
    version.procedure = procedure
    return version


def _resolve_agency(agency: Agency | str) -> Agency:
    if isinstance(agency, Agency):
        return agency
    found = Agency.objects.select_related("unit").filter(code=agency).first()
    if found is None:
        raise ValidationFailed(
            _("There is no agency with code %(code)s.") % {"code": agency},
            code="invalid_parameters",
            fields={"agency": ["unknown agency"]},
        )
    return found


def _agency_q(agency: Agency) -> Q:
    """Match versions naming the agency, directly or as the local agency of its sector at its level."""
    fixed = Q(lead_agency=agency) | Q(
        Exists(VersionAgency.objects.filter(version=OuterRef("pk"), agency=agency))
    )
    if not agency.sector:
        return fixed
    at_its_level = Q(
        Exists(
            ProcedureVersion.levels.through.objects.filter(
                procedureversion_id=OuterRef("pk"), unitlevel_id=agency.unit.level_id
            )
        )
    )
    local = Q(lead_kind=RefKind.LOCAL, lead_sector=agency.sector) | Q(
        Exists(VersionAgency.objects.filter(version=OuterRef("pk"), kind=RefKind.LOCAL, sector=agency.sector))
    )
    return fixed | (local & at_its_level)


def _rank(query: str, tokens: list[str]) -> Case:
    """Rank: exact code, then the name equal to / starting with / containing the phrase, then words."""
    phrase = " ".join(tokens)
    in_name = reduce(and_, (Q(search_name__contains=f" {t}") for t in tokens))
    return Case(
        When(procedure__code__iexact=query.strip(), then=Value(0)),
        When(search_name=f" {phrase} ", then=Value(1)),
        When(search_name__startswith=f" {phrase}", then=Value(2)),
        When(search_name__contains=f" {phrase}", then=Value(3)),
        When(in_name, then=Value(4)),
        default=Value(5),
        output_field=IntegerField(),
    )


def search_procedures(
    query: str = "",
    *,
    field: Field | str | None = None,
    agency: Agency | str | None = None,
    level: UnitLevel | str | None = None,
    online_level: str | None = None,
    at: dt.date | dt.datetime | None = None,
    limit: int | None = 50,
) -> QuerySet[ProcedureVersion]:
    """Find published versions in force whose text holds every query word, best matches first.

    Words match at word starts, without diacritics or case ("dang ky" finds "Đăng ký"). One query;
    pass limit=None to paginate the queryset yourself.
    """
    versions = versions_in_force(at).select_related("procedure", "field", "lead_agency")
    tokens = search_tokens(query)
    for token in tokens:
        versions = versions.filter(search_text__contains=f" {token}")
    if field is not None:
        versions = versions.filter(field__code=field.code if isinstance(field, Field) else field)
    if level is not None:
        code = level.code if isinstance(level, UnitLevel) else level
        versions = versions.filter(
            Exists(
                ProcedureVersion.levels.through.objects.filter(
                    procedureversion_id=OuterRef("pk"), unitlevel__code=code
                )
            )
        )
    if online_level is not None:
        if online_level not in OnlineLevel.values:
            raise ValidationFailed(
                _("Invalid online level: %(level)s.") % {"level": online_level},
                code="invalid_parameters",
                fields={"online_level": [f"must be one of {', '.join(OnlineLevel.values)}"]},
            )
        versions = versions.filter(online_level=online_level)
    if agency is not None:
        versions = versions.filter(_agency_q(_resolve_agency(agency)))
    if tokens:
        versions = versions.annotate(rank=_rank(query, tokens)).order_by(
            "rank", Length("search_name"), bytewise("search_name"), bytewise("procedure__code")
        )
    else:
        versions = versions.order_by(bytewise("search_name"), bytewise("procedure__code"))
    return versions[:limit] if limit is not None else versions


def fields_with_counts(at: dt.date | dt.datetime | None = None) -> list[tuple[Field, int]]:
    """Return every field with the number of its procedures in force (published) on a day."""
    day = as_local_date(at)
    rows = Field.objects.annotate(
        procedure_count=Count("versions", filter=in_force_q(day, "versions__"), distinct=True)
    ).order_by(bytewise("code"))
    return [(row, row.procedure_count) for row in rows]


def procedure_history(code: str) -> tuple[Procedure, list[ProcedureVersion]]:
    """Return a procedure and all its versions, oldest first."""
    procedure = get_procedure(code)
    return procedure, list(procedure.versions.order_by("effective_from", "number"))


def _ref(kind: str, agency: Agency | None, sector: str) -> AgencyRef:
    if kind == ActorKind.FIXED:
        assert agency is not None  # guaranteed by a check constraint
        return AgencyRef(kind=kind, agency=agency.code)
    return AgencyRef(kind=kind, sector=sector)


def read_content(version: ProcedureVersion) -> VersionContent:
    """Read a version back into plain values; prefetch CONTENT_PREFETCH when reading many."""
    refs = sorted(version.agency_refs.all(), key=lambda r: (r.role, r.position))
    second = None
    if version.second_time_limit_amount is not None:
        second = TimeLimit(version.second_time_limit_amount, version.second_time_limit_unit)
    return VersionContent(
        name=version.name,
        field=version.field.code,
        levels=tuple(lv.code for lv in sorted(version.levels.all(), key=lambda lv: (lv.rank, lv.code))),
        lead=_ref(version.lead_kind, version.lead_agency, version.lead_sector),
        deciding=tuple(_ref(r.kind, r.agency, r.sector) for r in refs if r.role == "deciding"),
        implementing=tuple(_ref(r.kind, r.agency, r.sector) for r in refs if r.role == "implementing"),
        implementing_text=version.implementing_text,
        channels=tuple(version.channels),
        time_limit=TimeLimit(version.time_limit_amount, version.time_limit_unit, version.time_limit_text),
        time_limits_by_channel={
            o.channel: TimeLimit(o.amount, o.unit) for o in version.channel_time_limits.all()
        },
        second_time_limit=second,
        cutoff_rule=version.cutoff_rule,
        supplement_rule=version.supplement_rule,
        online_level=version.online_level,
        received_at_centre=version.received_at_centre,
        where_if_not=version.where_if_not,
        boundary_free=version.boundary_free,
        on_the_spot=version.on_the_spot,
        fees=tuple(
            FeeSpec(
                kind=f.kind,
                name=f.name,
                method=f.method,
                amount_vnd=f.amount_vnd,
                unit=f.unit,
                cap_vnd=f.cap_vnd,
                channel=f.channel,
                exemption=f.exemption,
            )
            for f in sorted(version.fees.all(), key=lambda f: f.position)
        ),
        documents=tuple(
            DocumentSpec(
                name=d.name,
                form=d.form,
                copies=d.copies,
                required=d.required,
                condition=d.condition,
                template=d.template,
                note=d.note,
            )
            for d in sorted(version.documents.all(), key=lambda d: d.position)
        ),
        conditions=version.conditions,
        result=version.result,
        legal_basis=version.legal_basis,
        applicant_steps=version.applicant_steps,
        process=tuple(
            StepSpec(
                stage=s.stage,
                branch=s.branch,
                name=s.name,
                actor=_ref(s.actor_kind, s.agency, s.sector),
                role=s.role,
                days=s.days,
                counts_time=s.counts_time,
            )
            for s in sorted(version.steps.all(), key=lambda s: s.position)
        ),
    )
