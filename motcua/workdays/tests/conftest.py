from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    # These tests pin the English source messages; the Vietnamese ones are checked by the catalog tests.
    with translation.override("en"):
        yield
