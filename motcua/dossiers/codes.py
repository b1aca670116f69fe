"""Dossier codes: receiving agency + receipt date + daily sequence, in either legal layout.

Circular 01/2018 art. 19: `000.00.01.H12-250701-0001` (agency code lowest level first, exactly four
sequence digits). Circular 03/2025 art. 13(3), from 25/01/2026 for centralised systems:
`H12.01-250701-010001` (agency code highest level first, then AA = two digits of the system owner's
identifier, then a sequence of at least four digits).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, router
from django.utils.translation import gettext as _

from motcua.core import rows
from motcua.core.errors import Conflict, ValidationFailed
from motcua.dossiers.models import CodeSequence
from motcua.org.models import Agency

LAYOUT_2018 = "2018"
LAYOUT_2025 = "2025"
LOOKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper


def agency_part(agency: Agency, layout: str) -> str:
    if layout == LAYOUT_2018:
        if not agency.legacy_code:
            raise ValidationFailed(
                _("Agency %(agency)s has no identifier under Circular 01/2018.") % {"agency": agency.name},
                code="agency_without_legacy_code",
            )
        return agency.legacy_code
    return agency.code


def format_code(*, agency_code: str, day: dt.date, sequence: int, layout: str, owner_id: str) -> str:
    """Return the dossier code for one sequence number."""
    if layout == LAYOUT_2018:
        if sequence > 9999:
            raise Conflict(
                _("The day's dossier numbers are used up (at most 9999)."), code="daily_sequence_exhausted"
            )
        return f"{agency_code}-{day:%y%m%d}-{sequence:04d}"
    return f"{agency_code}-{day:%y%m%d}-{owner_id}{sequence:04d}"


class _NextNumber:
    """Take the next number for a prefix on a day, as one query of a batch (`rows.read_together`).

    The upsert locks the day's row until the caller's transaction ends, so concurrent desks queue
    here instead of reading the same number; the day's first code creates the row, and a desk that
    creates it at the same moment waits for that lock and counts on. The number belongs to the
    caller's transaction: a rollback gives it back, so codes have no gaps.
    """

    def statement(self, **values: Any) -> tuple[str, list[Any]]:
        """SQL and arguments for `prefix` (str) on `day` (date)."""
        prefix: str = values["prefix"]
        day: dt.date = values["day"]
        connection = connections[router.db_for_write(CodeSequence)]
        quote = connection.ops.quote_name
        table, last = quote(CodeSequence._meta.db_table), quote("last")
        sql = (
            f"INSERT INTO {table} ({quote('prefix')}, {quote('day')}, {last}) VALUES (%s, %s, 1)"
            f" ON CONFLICT ({quote('prefix')}, {quote('day')}) DO UPDATE SET {last} = {table}.{last} + 1"
            f" RETURNING {last}"
        )
        return sql, [prefix, connection.ops.adapt_datefield_value(day)]

    def instances(self, fetched: Iterable[Sequence[Any]]) -> list[int]:
        return [int(row[0]) for row in fetched]


NEXT_NUMBER = _NextNumber()


def next_sequence(*, prefix: str, day: dt.date) -> int:
    """Take the next number for `prefix` on `day` (see `_NextNumber`)."""
    (numbers,) = rows.read_together((NEXT_NUMBER, {"prefix": prefix, "day": day}))
    return numbers[0]


def sequence_prefix(agency: Agency, layout: str) -> tuple[str, str]:
    """Return the agency's part of the code and the key its daily numbers are counted under."""
    part = agency_part(agency, layout)
    return part, f"{layout}:{part}"


def new_lookup_secret(length: int = 10) -> str:
    return "".join(secrets.choice(LOOKUP_ALPHABET) for _ in range(length))
