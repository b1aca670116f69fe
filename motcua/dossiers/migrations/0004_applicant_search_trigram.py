"""PostgreSQL: a trigram index so a name search (`LIKE '% word%'` on the folded name) need not read the table.

pg_trgm ships with PostgreSQL and is a trusted extension (13+): the database owner may create it. Where
that is not allowed, the search still works, by reading the desk's dossiers, and the log says why.
SQLite has no such index; its name search reads the rows in scope.
"""

import logging

from django.db import migrations

INDEX = "dossier_applicant_trgm"
logger = logging.getLogger(__name__)


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            cursor.execute("SAVEPOINT motcua_trgm")
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON dossiers_dossier USING gin (applicant_search gin_trgm_ops)"
            )
            cursor.execute("RELEASE SAVEPOINT motcua_trgm")
        except Exception as exc:  # noqa: BLE001 - any refusal leaves the search working, only slower
            cursor.execute("ROLLBACK TO SAVEPOINT motcua_trgm")
            logger.warning("No trigram index for the applicant name search (%s); searches read the rows.", exc)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0003_applicant_search"),
    ]

    operations = [migrations.RunPython(create, drop)]
