"""/api/v1/feedback: citizens' feedback on procedures and handling, and the agencies' answers."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["feedback"])
