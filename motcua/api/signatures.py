"""/api/v1/signatures: verify digitally signed PDFs."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["signatures"])
