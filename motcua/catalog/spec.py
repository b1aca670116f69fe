"""A procedure version's content as plain values: what import parses, services write and export reads.

`as_exchange()` gives the `motcua-catalog/1` keys (docs/catalog-format.md); `version_hash()` fingerprints
content plus publishing metadata so that importing the same document twice changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from dataclasses import field as default
from decimal import Decimal
from typing import Any

from motcua.catalog.choices import (
    ActorKind,
    Channel,
    CutoffRule,
    FeeChannel,
    FeeMethod,
    OnlineLevel,
    SupplementRule,
)

FORMAT = "motcua-catalog/1"
CHANNEL_ORDER = [str(c) for c in Channel]


def decimal_str(value: Decimal) -> str:
    """Write a decimal without exponent or trailing zeros: 1.50 → "1.5", 10 → "10"."""
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


@dataclass(frozen=True)
class AgencyRef:
    """Who: a fixed agency by code, a sector's local agency, the lead agency or the receiving point."""

    kind: str
    agency: str = ""
    sector: str = ""

    def as_exchange(self) -> dict[str, Any]:
        if self.kind == ActorKind.FIXED:
            return {"agency": self.agency}
        if self.kind == ActorKind.LOCAL:
            return {"local": self.sector}
        return {str(self.kind): True}


@dataclass(frozen=True)
class TimeLimit:
    amount: Decimal
    unit: str
    text: str = ""

    def as_exchange(self, *, with_text: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"amount": decimal_str(self.amount), "unit": self.unit}
        if with_text:
            out["text"] = self.text
        return out


@dataclass(frozen=True)
class DocumentSpec:
    name: str
    form: str
    copies: int = 1
    required: bool = True
    condition: str = ""
    template: str = ""
    note: str = ""

    def as_exchange(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "form": self.form,
            "copies": self.copies,
            "required": self.required,
            "condition": self.condition,
            "template": self.template,
            "note": self.note,
        }


@dataclass(frozen=True)
class FeeSpec:
    kind: str
    name: str
    amount_vnd: int
    method: str = FeeMethod.FIXED
    unit: str = ""
    cap_vnd: int | None = None
    channel: str = FeeChannel.ANY
    exemption: str = ""

    def as_exchange(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "method": self.method,
            "amount_vnd": self.amount_vnd,
            "unit": self.unit,
            "cap_vnd": self.cap_vnd,
            "channel": self.channel,
            "exemption": self.exemption,
        }


@dataclass(frozen=True)
class StepSpec:
    stage: int
    name: str
    actor: AgencyRef
    role: str
    days: Decimal
    branch: str = ""
    counts_time: bool = True

    def as_exchange(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "branch": self.branch,
            "name": self.name,
            "actor": self.actor.as_exchange(),
            "role": self.role,
            "days": decimal_str(self.days),
            "counts_time": self.counts_time,
        }


@dataclass(frozen=True)
class VersionContent:
    """Everything a version says about the procedure, with agencies, fields and levels by code."""

    name: str
    field: str
    levels: tuple[str, ...]
    lead: AgencyRef
    channels: tuple[str, ...]
    time_limit: TimeLimit
    online_level: str = OnlineLevel.NONE
    deciding: tuple[AgencyRef, ...] = ()
    implementing: tuple[AgencyRef, ...] = ()
    implementing_text: str = ""
    time_limits_by_channel: dict[str, TimeLimit] = default(default_factory=dict)
    second_time_limit: TimeLimit | None = None
    cutoff_rule: str = CutoffRule.NONE
    supplement_rule: str = SupplementRule.RESTART
    received_at_centre: bool = True
    where_if_not: str = ""
    boundary_free: bool = False
    on_the_spot: bool = False
    fees: tuple[FeeSpec, ...] = ()
    documents: tuple[DocumentSpec, ...] = ()
    conditions: str = ""
    result: str = ""
    legal_basis: str = ""
    applicant_steps: str = ""
    process: tuple[StepSpec, ...] = ()

    def agency_codes(self) -> set[str]:
        refs = [self.lead, *self.deciding, *self.implementing, *(s.actor for s in self.process)]
        return {ref.agency for ref in refs if ref.kind == ActorKind.FIXED}

    def as_exchange(self) -> dict[str, Any]:
        """Return the content keys of a procedure record, in the documented order."""
        second = self.second_time_limit
        return {
            "name": self.name,
            "field": self.field,
            "levels": list(self.levels),
            "lead_agency": self.lead.as_exchange(),
            "deciding_agencies": [ref.as_exchange() for ref in self.deciding],
            "implementing_agencies": [ref.as_exchange() for ref in self.implementing],
            "implementing_text": self.implementing_text,
            "channels": [c for c in CHANNEL_ORDER if c in self.channels],
            "time_limit": self.time_limit.as_exchange(),
            "time_limits_by_channel": {
                channel: self.time_limits_by_channel[channel].as_exchange(with_text=False)
                for channel in CHANNEL_ORDER
                if channel in self.time_limits_by_channel
            },
            "second_time_limit": second.as_exchange(with_text=False) if second else None,
            "cutoff_rule": self.cutoff_rule,
            "supplement_rule": self.supplement_rule,
            "online_level": self.online_level,
            "received_at_centre": self.received_at_centre,
            "where_if_not": self.where_if_not,
            "boundary_free": self.boundary_free,
            "on_the_spot": self.on_the_spot,
            "fees": [fee.as_exchange() for fee in self.fees],
            "documents": [doc.as_exchange() for doc in self.documents],
            "conditions": self.conditions,
            "result": self.result,
            "legal_basis": self.legal_basis,
            "applicant_steps": self.applicant_steps,
            "process": [step.as_exchange() for step in self.process],
        }


def version_hash(content: VersionContent, *, decision: str, change: str, replaces: list[str]) -> str:
    """Fingerprint a version for idempotent import; the status is left out (it changes by services)."""
    body = content.as_exchange()
    # Levels are a set: their order in a document carries no meaning.
    body["levels"] = sorted(body["levels"])
    payload = {"content": body, "decision": decision, "change": change, "replaces": sorted(replaces)}
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


# National code d.dddddd, optionally followed by dot-separated groups of the publishing agency's code.
PROCEDURE_CODE_PATTERN = r"^\d\.\d{6}(\.[A-Za-z0-9]+)*$"
