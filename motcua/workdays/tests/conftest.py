from __future__ import annotations

import pytest

from motcua.workdays.selectors import clear_calendar_cache


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # Each test's rows roll back; a calendar cached from another test's rows must not leak in.
    clear_calendar_cache()
    yield
    clear_calendar_cache()
