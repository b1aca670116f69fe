"""/api/v1/payments: fees due and paid on a dossier, online payment and the gateway's confirmation."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["payments"])
