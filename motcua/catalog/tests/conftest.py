from __future__ import annotations

import pytest

from motcua.catalog.tests.factories import Org, build_org, load_sample


@pytest.fixture
def org(db) -> Org:
    return build_org()


@pytest.fixture
def catalog(org: Org) -> Org:
    load_sample()
    return org
