from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo_province.json"


@pytest.fixture
def org_document() -> dict:
    """The demo province's organisation, without counter fields (the catalog is not loaded here)."""
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    for counter in data["counters"]:
        counter.pop("fields", None)
    return copy.deepcopy(data)


@pytest.fixture
def demo_org(db, org_document):
    from motcua.org.importing import import_org

    import_org(org_document)
    return org_document
