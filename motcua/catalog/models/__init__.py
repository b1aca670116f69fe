"""The procedure catalog: fields, procedures and their dated versions with documents, fees and steps."""

from __future__ import annotations

from motcua.catalog.models.content import FeeRule, ProcessStep, RequiredDocument
from motcua.catalog.models.procedures import (
    ChannelTimeLimit,
    Field,
    Procedure,
    ProcedureVersion,
    VersionAgency,
)

__all__ = [
    "ChannelTimeLimit",
    "FeeRule",
    "Field",
    "Procedure",
    "ProcedureVersion",
    "ProcessStep",
    "RequiredDocument",
    "VersionAgency",
]
