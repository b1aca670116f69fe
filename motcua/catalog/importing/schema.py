"""The shape of a `motcua-catalog/1` document, checked key by key; turns records into VersionContent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, StrictBool, StrictStr, model_validator
from pydantic import Field as Key
from pydantic import ValidationError as PydanticError

from motcua.catalog.choices import ActorKind, RefKind
from motcua.catalog.spec import (
    PROCEDURE_CODE_PATTERN,
    AgencyRef,
    DocumentSpec,
    FeeSpec,
    StepSpec,
    TimeLimit,
    VersionContent,
)


def _decimal(value: Any) -> Decimal:
    # Floats are refused: 0.1 in JSON is not exactly a tenth of a day.
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError('must be a decimal string such as "0.5"')
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError('must be a decimal string such as "0.5"') from None
    if not number.is_finite():
        raise ValueError('must be a decimal string such as "0.5"')
    return number


def _date(value: Any) -> dt.date:
    if not isinstance(value, str):
        raise ValueError("must be a date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("must be a date YYYY-MM-DD") from None


IsoDate = Annotated[dt.date, BeforeValidator(_date)]
Days = Annotated[Decimal, BeforeValidator(_decimal), Key(ge=0, max_digits=6, decimal_places=2)]
Amount = Annotated[Decimal, BeforeValidator(_decimal), Key(ge=0, max_digits=7, decimal_places=2)]
Slug = Annotated[str, Key(strict=True, pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=40)]
FieldCode = Annotated[str, Key(strict=True, pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)]
Code = Annotated[str, Key(strict=True, pattern=PROCEDURE_CODE_PATTERN, max_length=60)]
Text = StrictStr
Name = Annotated[str, Key(strict=True, min_length=1)]
Vnd = Annotated[int, Key(strict=True, ge=0, le=10**15)]
ChannelName = Literal["counter", "post", "online"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldIn(_Record):
    code: FieldCode
    name: Annotated[str, Key(strict=True, min_length=1, max_length=255)]


class AgencyIn(_Record):
    """An agency reference: {"agency": code} or {"local": sector}."""

    agency: Annotated[str, Key(strict=True, min_length=1, max_length=35)] | None = None
    local: Slug | None = None

    @model_validator(mode="after")
    def _one_key(self) -> AgencyIn:
        if (self.agency is None) == (self.local is None):
            raise ValueError('give exactly one of "agency" or "local"')
        return self

    def spec(self) -> AgencyRef:
        if self.agency is not None:
            return AgencyRef(kind=RefKind.FIXED, agency=self.agency)
        return AgencyRef(kind=RefKind.LOCAL, sector=self.local or "")


class ActorIn(AgencyIn):
    """Who handles a step: an agency reference, or {"lead": true}, or {"receiving": true}."""

    lead: Literal[True] | None = None
    receiving: Literal[True] | None = None

    @model_validator(mode="after")
    def _one_key(self) -> ActorIn:
        given = [v for v in (self.agency, self.local, self.lead, self.receiving) if v is not None]
        if len(given) != 1:
            raise ValueError('give exactly one of "agency", "local", "lead" or "receiving"')
        return self

    def spec(self) -> AgencyRef:
        if self.lead:
            return AgencyRef(kind=ActorKind.LEAD)
        if self.receiving:
            return AgencyRef(kind=ActorKind.RECEIVING)
        return super().spec()


class LimitIn(_Record):
    amount: Amount
    unit: Literal["d", "h"]

    def spec(self) -> TimeLimit:
        return TimeLimit(amount=self.amount, unit=self.unit)


class TimeLimitIn(LimitIn):
    text: Text = ""

    def spec(self) -> TimeLimit:
        return TimeLimit(amount=self.amount, unit=self.unit, text=self.text)


class VersionIn(_Record):
    effective_from: IsoDate
    decision: Text = ""
    change: Literal["new", "amend", "replace", "abolish"]
    replaces: list[Code] = []


class FeeIn(_Record):
    kind: Literal["fee", "charge"]
    name: Annotated[str, Key(strict=True, min_length=1, max_length=500)]
    method: Literal["fixed", "per_unit"] = "fixed"
    amount_vnd: Vnd
    unit: Annotated[str, Key(strict=True, max_length=100)] = ""
    cap_vnd: Vnd | None = None
    channel: Literal["any", "counter", "online"] = "any"
    exemption: Text = ""

    def spec(self) -> FeeSpec:
        return FeeSpec(**self.model_dump())


class DocumentIn(_Record):
    name: Name
    form: Literal["original", "copy", "certified_copy", "original_or_copy", "shown"]
    copies: Annotated[int, Key(strict=True, ge=0, le=999)] = 1
    required: StrictBool = True
    condition: Text = ""
    template: Text = ""
    note: Text = ""

    def spec(self) -> DocumentSpec:
        return DocumentSpec(**self.model_dump())


class StepIn(_Record):
    stage: Annotated[int, Key(strict=True, ge=1, le=999)]
    branch: Slug | Literal[""] = ""
    name: Name
    actor: ActorIn
    role: Literal["counter_officer", "specialist", "unit_leader", "agency_leader"]
    days: Days
    counts_time: StrictBool = True

    def spec(self) -> StepSpec:
        return StepSpec(
            stage=self.stage,
            branch=self.branch,
            name=self.name,
            actor=self.actor.spec(),
            role=self.role,
            days=self.days,
            counts_time=self.counts_time,
        )


class AbolitionIn(_Record):
    code: Code
    version: VersionIn


class ProcedureIn(_Record):
    code: Code
    name: Annotated[str, Key(strict=True, min_length=1, max_length=1000)]
    field: FieldCode
    levels: Annotated[list[Slug], Key(min_length=1)]
    version: VersionIn
    status: Literal["draft", "published", "unpublished"]
    lead_agency: AgencyIn
    deciding_agencies: list[AgencyIn] = []
    implementing_agencies: list[AgencyIn] = []
    implementing_text: Text = ""
    channels: list[ChannelName]
    time_limit: TimeLimitIn
    time_limits_by_channel: dict[ChannelName, LimitIn] = {}
    second_time_limit: LimitIn | None = None
    cutoff_rule: Literal["none", "online_17h", "cutoff_15h"] = "none"
    supplement_rule: Literal["restart", "pause"] = "restart"
    online_level: Literal["full", "partial", "none"]
    received_at_centre: StrictBool = True
    where_if_not: Text = ""
    boundary_free: StrictBool = False
    on_the_spot: StrictBool = False
    fees: list[FeeIn] = []
    documents: list[DocumentIn] = []
    conditions: Text = ""
    result: Text = ""
    legal_basis: Text = ""
    applicant_steps: Text = ""
    process: list[StepIn] = []

    def content(self) -> VersionContent:
        return VersionContent(
            name=self.name,
            field=self.field,
            levels=tuple(self.levels),
            lead=self.lead_agency.spec(),
            deciding=tuple(ref.spec() for ref in self.deciding_agencies),
            implementing=tuple(ref.spec() for ref in self.implementing_agencies),
            implementing_text=self.implementing_text,
            channels=tuple(self.channels),
            time_limit=self.time_limit.spec(),
            time_limits_by_channel={k: v.spec() for k, v in self.time_limits_by_channel.items()},
            second_time_limit=self.second_time_limit.spec() if self.second_time_limit else None,
            cutoff_rule=self.cutoff_rule,
            supplement_rule=self.supplement_rule,
            online_level=self.online_level,
            received_at_centre=self.received_at_centre,
            where_if_not=self.where_if_not,
            boundary_free=self.boundary_free,
            on_the_spot=self.on_the_spot,
            fees=tuple(fee.spec() for fee in self.fees),
            documents=tuple(doc.spec() for doc in self.documents),
            conditions=self.conditions,
            result=self.result,
            legal_basis=self.legal_basis,
            applicant_steps=self.applicant_steps,
            process=tuple(step.spec() for step in self.process),
        )


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "[key]":
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def _message(err: Any) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    got = f"; got {err['input']!r}" if "input" in err and not isinstance(err["input"], dict | list) else ""
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"must be one of {expected}{got}"
    if kind == "value_error":
        return f"{ctx.get('error', err['msg'])}{got}"
    if kind in ("string_type", "int_type", "bool_type", "list_type", "dict_type", "model_type"):
        noun = {"string": "a string", "int": "an integer", "bool": "true or false", "list": "a list"}
        return f"must be {noun.get(kind.split('_')[0], 'an object')}{got}"
    if kind == "string_pattern_mismatch":
        return f"is not a valid code{got}"
    if kind in ("string_too_short", "too_short"):
        return "must not be empty"
    if kind == "decimal_max_places":
        return f"at most {ctx.get('decimal_places')} decimal places{got}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}{got}"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}{got}"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "decimal_max_digits":
        return f"too large{got}"
    return f"{err['msg']}{got}"


def shape_errors(exc: PydanticError) -> list[tuple[str, str]]:
    """Return (field path, message) pairs for a record that does not have the documented shape."""
    return [(_path(tuple(err["loc"])), _message(err)) for err in exc.errors()]
