"""Every address the site answers: Django URL patterns and the API's operations, as plain records.

The route guard (test_route_guard.py) walks these; nothing here knows which route is public.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from motcua.api.main import api

API_NAMESPACE = "api"
# The API's own pages that are not operations (the operations come from the OpenAPI schema).
API_PAGES = {"api:openapi-json", "api:openapi-view", "api:api-root"}
_DJANGO_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    """One address: a named Django page (any method) or one API operation (one method)."""

    id: str  # "dossiers:dossier", "admin:auth_user_change", "POST /api/v1/dossiers/{code}/accept"
    kind: str  # "page", "admin" or "api"
    template: str  # the pattern as written, for messages
    params: tuple[str, ...]
    method: str = ""  # API operations only
    named: bool = True  # unnamed patterns (the admin's redirects and catch-all) go by their pattern

    def url(self, values: Mapping[str, object]) -> str:
        missing = [p for p in self.params if p not in values]
        assert not missing, f"{self.id}: no value for {missing}"
        if self.kind == "api":
            return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), self.template)
        if not self.named:
            return _fill(self.template, values)
        return reverse(self.id, kwargs={p: values[p] for p in self.params})


def _fill(pattern: str, values: Mapping[str, object]) -> str:
    """The address of an unnamed pattern (the admin's redirects and catch-all), its parameters filled."""
    text = _DJANGO_PARAM.sub(lambda m: str(values[m.group("name")]), pattern)
    text = _REGEX_PARAM.sub(lambda m: str(values[m.group("name")]), text)
    return text.replace("^", "").replace("$", "")


def _params(pattern: str) -> tuple[str, ...]:
    names = [m.group("name") for m in _DJANGO_PARAM.finditer(pattern)]
    names += [m.group("name") for m in _REGEX_PARAM.finditer(pattern)]
    return tuple(names)


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[tuple[str, str, bool]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            pattern = (prefix + str(entry.pattern)).replace("/^", "/")
            yield f"{namespace}{entry.name or pattern}", pattern, bool(entry.name)


def django_patterns() -> list[tuple[str, str, bool]]:
    """(name, pattern, named) of every Django URL pattern, the API's included, in resolver order."""
    return list(_walk(get_resolver(), "/", ""))


def page_routes() -> list[Route]:
    """Every Django page: the site's, the admin's and the API's documentation pages."""
    routes: dict[str, Route] = {}
    for name, pattern, named in django_patterns():
        if name.startswith(f"{API_NAMESPACE}:") and name not in API_PAGES:
            continue  # an operation: listed by api_routes with its method
        kind = "admin" if name.startswith("admin:") else "page"
        route = Route(id=name, kind=kind, template=pattern, params=_params(pattern), named=named)
        assert routes.setdefault(name, route) == route, f"two URL patterns are named {name}"
    return list(routes.values())


def api_routes() -> list[Route]:
    """Every operation of the API, from its OpenAPI schema: one route per path and method."""
    routes = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        params = tuple(re.findall(r"\{(\w+)\}", path))
        for method in operations:
            verb = method.upper()
            routes.append(Route(id=f"{verb} {path}", kind="api", template=path, params=params, method=verb))
    return routes


def api_pattern_paths() -> set[str]:
    """The API's Django patterns written as OpenAPI paths, to prove the schema hides no operation."""
    paths = set()
    for name, pattern, _named in django_patterns():
        if name.startswith(f"{API_NAMESPACE}:") and name not in API_PAGES:
            paths.add(_DJANGO_PARAM.sub(lambda m: "{" + m.group("name") + "}", pattern))
    return paths


_SCHEMA: dict[str, Any] = {}


def _schema() -> dict[str, Any]:
    if not _SCHEMA:
        _SCHEMA.update(api.get_openapi_schema())
    return _SCHEMA


def _example(schema: dict[str, Any]) -> Any:
    """The smallest value the schema accepts, so that a write reaches the view past validation."""
    if "$ref" in schema:
        return _example(_schema()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]])
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _example(options[0])
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: _example(props[name]) for name in schema.get("required", [])}
    if kind == "array":
        return [_example(schema["items"]) for _ in range(schema.get("minItems", 0))]
    if kind == "string":
        formats = {"date": "2025-11-20", "date-time": "2025-11-20T09:00:00+07:00"}
        return formats.get(schema.get("format", ""), "x" * max(1, schema.get("minLength", 1)))
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    return False if kind == "boolean" else None


def body_of(route: Route) -> Any:
    if route.kind != "api" or route.method == "GET":
        return None
    operation = _schema()["paths"][route.template][route.method.lower()]
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    return _example(schema) if schema else None
