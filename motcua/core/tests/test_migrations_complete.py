"""Every model change ships with its migration: a field changed without one would pass on the test
database (built from the models' migrations) and break the first `migrate` at a province."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_models_need_no_new_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit:
        raise AssertionError(f"models changed without a migration:\n{out.getvalue()}") from exit
    assert "No changes detected" in out.getvalue()
