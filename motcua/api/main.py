"""The /api tree: routers one per resource under /api/v1, OpenAPI at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from motcua.api.errors import install_error_handlers

api = NinjaAPI(
    title="MotCua API",
    version="1",
    description=(
        "JSON API of MotCua, the one-stop system for administrative procedures. "
        'Every error has the shape {"error": {"code", "message", "fields"}}.'
    ),
    docs_url="/docs",
    urls_namespace="api",
)
install_error_handlers(api)

# Routers: one module per resource (keep this block sorted).
