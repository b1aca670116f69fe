"""Dossier codes: receiving agency + receipt date + daily sequence, in either legal layout.

Circular 01/2018 art. 19: `000.00.01.H12-250701-0001` (agency code lowest level first, exactly four
sequence digits). Circular 03/2025 art. 13(3), from 25/01/2026 for centralised systems:
`H12.01-250701-010001` (agency code highest level first, then AA = two digits of the system owner's
identifier, then a sequence of at least four digits).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import connections, router
from django.utils.translation import gettext as _

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


def next_sequence(*, prefix: str, day: dt.date) -> int:
    """Take the next number for `prefix` on `day`; the row lock holds until the caller's transaction ends.

    The number belongs to the caller's transaction: a rollback gives it back, so codes have no gaps.
    """
    connection = connections[router.db_for_write(CodeSequence)]
    quote = connection.ops.quote_name
    table, last = quote(CodeSequence._meta.db_table), quote("last")
    args = [prefix, connection.ops.adapt_datefield_value(day)]
    with connection.cursor() as cursor:
        # UPDATE takes the row lock first, so concurrent desks queue here instead of reading the same number.
        cursor.execute(
            f"UPDATE {table} SET {last} = {last} + 1 WHERE {quote('prefix')} = %s AND {quote('day')} = %s"
            f" RETURNING {last}",
            args,
        )
        row = cursor.fetchone()
        if row is None:
            # The day's first code: another desk may create the row at the same moment; the upsert
            # then waits for its lock and counts on from its number instead of failing.
            cursor.execute(
                f"INSERT INTO {table} ({quote('prefix')}, {quote('day')}, {last}) VALUES (%s, %s, 1)"
                f" ON CONFLICT ({quote('prefix')}, {quote('day')}) DO UPDATE SET {last} = {table}.{last} + 1"
                f" RETURNING {last}",
                args,
            )
            row = cursor.fetchone()
    assert row is not None  # both statements return the row they wrote
    return int(row[0])


def new_dossier_code(*, agency: Agency, day: dt.date, layout: str, owner_id: str) -> str:
    part = agency_part(agency, layout)
    sequence = next_sequence(prefix=f"{layout}:{part}", day=day)
    return format_code(agency_code=part, day=day, sequence=sequence, layout=layout, owner_id=owner_id)


def new_lookup_secret(length: int = 10) -> str:
    return "".join(secrets.choice(LOOKUP_ALPHABET) for _ in range(length))
