"""Project-wide pytest set-up."""

from __future__ import annotations

import os

# Tests run with a fixed key and DEBUG off, like production.
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
