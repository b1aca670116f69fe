from __future__ import annotations

import pytest
from django.utils import translation

from motcua.workdays.selectors import clear_calendar_cache


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # Each test's rows roll back; a calendar cached from another test's rows must not leak in.
    clear_calendar_cache()
    yield
    clear_calendar_cache()


@pytest.fixture(autouse=True)
def _english_messages():
    # These tests pin the English source messages; the Vietnamese ones are checked by the catalog tests.
    with translation.override("en"):
        yield
