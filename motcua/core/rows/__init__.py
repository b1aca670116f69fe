"""Hot-path row access: querysets compiled once, inserts and updates without ORM compilation per call.

The dossier engine runs a handful of short statements per operation. Django compiles every queryset
anew, which on a cheap office PC costs ten to twenty times the statement itself (about 0.5 ms for a
37-column dossier against 0.03 ms to run it). Here a queryset is compiled once per database and re-run
with new parameter values, and writes go out as one INSERT … RETURNING or an UPDATE of only the
columns that changed. Values still pass through each field's own conversions (JSON, datetimes on
SQLite), and rows become ordinary model instances.

On PostgreSQL the statements of one operation go in one round trip (psycopg's pipeline), and the
server keeps the plans of the repeated ones.

Model signals are not sent: no domain logic lives in signals (STYLE.md), and the models written here
have no receivers.
"""

from motcua.core.rows.pipeline import Query, batches
from motcua.core.rows.prepared import Prepared, by_pk, each_related, load_related
from motcua.core.rows.together import (
    NextIds,
    insert_new,
    insert_new_then_read,
    insert_together,
    read_together,
    save_and_insert,
)
from motcua.core.rows.values import LOADED, build, column, remember
from motcua.core.rows.writes import insert, insert_many, save_changes

__all__ = [
    "LOADED",
    "NextIds",
    "Prepared",
    "Query",
    "batches",
    "build",
    "by_pk",
    "column",
    "each_related",
    "insert",
    "insert_many",
    "insert_new",
    "insert_new_then_read",
    "insert_together",
    "load_related",
    "read_together",
    "remember",
    "save_and_insert",
    "save_changes",
]
