"""OpenAPI pieces that django-ninja does not derive from a schema."""

from __future__ import annotations

from typing import Any


def binary(description: str, media_type: str = "application/octet-stream") -> dict[str, Any]:
    """`openapi_extra` for an operation that answers 200 with a file instead of JSON."""
    content = {media_type: {"schema": {"type": "string", "format": "binary"}}}
    return {"responses": {"200": {"description": description, "content": content}}}
