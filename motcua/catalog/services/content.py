"""Write a version's content and the columns derived from it (folded search text, content hash)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from motcua.catalog.choices import ActorKind, AgencyRole
from motcua.catalog.models import (
    ChannelTimeLimit,
    FeeRule,
    Field,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    VersionAgency,
)
from motcua.catalog.spec import AgencyRef, VersionContent, version_hash
from motcua.catalog.text import padded
from motcua.core.errors import ValidationFailed
from motcua.org.models import Agency, UnitLevel

# Published names often start with "Thủ tục"; ranking by name should look past it.
_NAME_PREFIX = " thu tuc "


@dataclass(frozen=True)
class Refs:
    field: Field
    levels: list[UnitLevel]
    agencies: dict[str, Agency]


def resolve_refs(content: VersionContent) -> Refs:
    """Load the field, levels and fixed agencies a content names; refuse unknown codes."""
    unknown: dict[str, list[str]] = {}
    field = Field.objects.filter(code=content.field).first()
    if field is None:
        unknown["field"] = [content.field]
    levels = list(UnitLevel.objects.filter(code__in=content.levels))
    missing_levels = sorted(set(content.levels) - {lv.code for lv in levels})
    if missing_levels:
        unknown["levels"] = missing_levels
    codes = content.agency_codes()
    agencies = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    if codes - set(agencies):
        unknown["agencies"] = sorted(codes - set(agencies))
    if unknown or field is None:
        listed = "; ".join(f"{key}: {', '.join(values)}" for key, values in unknown.items())
        raise ValidationFailed(
            _("Unknown codes (%(listed)s).") % {"listed": listed}, code="unknown_reference", fields=unknown
        )
    return Refs(field=field, levels=levels, agencies=agencies)


def _split(ref: AgencyRef, agencies: dict[str, Agency]) -> tuple[Agency | None, str]:
    if ref.kind == ActorKind.FIXED:
        return agencies[ref.agency], ""
    return None, ref.sector if ref.kind == ActorKind.LOCAL else ""


def _assign_scalars(version: ProcedureVersion, content: VersionContent, refs: Refs) -> None:
    version.name = content.name
    version.field = refs.field
    version.lead_kind = content.lead.kind
    version.lead_agency, version.lead_sector = _split(content.lead, refs.agencies)
    version.implementing_text = content.implementing_text
    version.channel_counter = "counter" in content.channels
    version.channel_post = "post" in content.channels
    version.channel_online = "online" in content.channels
    version.time_limit_amount = content.time_limit.amount
    version.time_limit_unit = content.time_limit.unit
    version.time_limit_text = content.time_limit.text
    second = content.second_time_limit
    version.second_time_limit_amount = second.amount if second else None
    version.second_time_limit_unit = second.unit if second else ""
    for name in (
        "cutoff_rule",
        "supplement_rule",
        "online_level",
        "received_at_centre",
        "where_if_not",
        "boundary_free",
        "on_the_spot",
        "conditions",
        "result",
        "legal_basis",
        "applicant_steps",
    ):
        setattr(version, name, getattr(content, name))


def _write_children(version: ProcedureVersion, content: VersionContent, refs: Refs) -> None:
    agencies = refs.agencies
    version.levels.set(refs.levels)
    agency_rows = []
    for role, listed in (
        (AgencyRole.DECIDING, content.deciding),
        (AgencyRole.IMPLEMENTING, content.implementing),
    ):
        for position, ref in enumerate(listed):
            agency, sector = _split(ref, agencies)
            agency_rows.append(
                VersionAgency(
                    version=version, role=role, position=position, kind=ref.kind, agency=agency, sector=sector
                )
            )
    VersionAgency.objects.bulk_create(agency_rows)
    ChannelTimeLimit.objects.bulk_create(
        ChannelTimeLimit(version=version, channel=channel, amount=limit.amount, unit=limit.unit)
        for channel, limit in content.time_limits_by_channel.items()
    )
    RequiredDocument.objects.bulk_create(
        RequiredDocument(
            version=version,
            position=position,
            name=doc.name,
            form=doc.form,
            copies=doc.copies,
            required=doc.required,
            condition=doc.condition,
            template=doc.template,
            note=doc.note,
        )
        for position, doc in enumerate(content.documents)
    )
    FeeRule.objects.bulk_create(
        FeeRule(
            version=version,
            position=position,
            kind=fee.kind,
            name=fee.name,
            method=fee.method,
            amount_vnd=fee.amount_vnd,
            unit=fee.unit,
            cap_vnd=fee.cap_vnd,
            channel=fee.channel,
            exemption=fee.exemption,
        )
        for position, fee in enumerate(content.fees)
    )
    steps = []
    for position, step in enumerate(content.process):
        agency, sector = _split(step.actor, agencies)
        steps.append(
            ProcessStep(
                version=version,
                stage=step.stage,
                branch=step.branch,
                position=position,
                name=step.name,
                actor_kind=step.actor.kind,
                agency=agency,
                sector=sector,
                role=step.role,
                days=step.days,
                counts_time=step.counts_time,
            )
        )
    ProcessStep.objects.bulk_create(steps)


def _clear_children(version: ProcedureVersion) -> None:
    for model in (VersionAgency, ChannelTimeLimit, RequiredDocument, FeeRule, ProcessStep):
        model._default_manager.filter(version=version).delete()


def search_columns(
    *, code: str, content: VersionContent, field_name: str, lead_name: str = ""
) -> tuple[str, str]:
    """Return the folded name (for ranking) and folded search text (for matching) of a version."""
    name = padded(content.name)
    if name.startswith(_NAME_PREFIX) and len(name) > len(_NAME_PREFIX):
        name = name[len(_NAME_PREFIX) - 1 :]
    parts = [code, content.name, field_name, lead_name, content.implementing_text, content.result]
    return name, padded(" ".join(p for p in parts if p))


def derive_columns(version: ProcedureVersion, content: VersionContent, *, replaces: list[str]) -> None:
    """Set search_name, search_text and content_hash from the content being written."""
    lead_name = version.lead_agency.name if version.lead_agency is not None else ""
    version.search_name, version.search_text = search_columns(
        code=version.procedure.code, content=content, field_name=version.field.name, lead_name=lead_name
    )
    version.content_hash = version_hash(
        content, decision=version.decision, change=version.change, replaces=replaces
    )


def write_content(
    version: ProcedureVersion, content: VersionContent, *, replaces: list[str], refs: Refs | None = None
) -> ProcedureVersion:
    """Store content on a (new or draft) version, replacing any children it had."""
    refs = refs or resolve_refs(content)
    _assign_scalars(version, content, refs)
    derive_columns(version, content, replaces=replaces)
    creating = version.pk is None
    version.save()
    if not creating:
        _clear_children(version)
    _write_children(version, content, refs)
    return version
