"""A sandbox for the administrator's message templates: Django syntax without any tag that reaches outside.

The engine has no loaders and no libraries; its only built-ins are the tags below (no include, extends,
load, url, now, debug, csrf_token…) and the default filters. The context holds plain strings and lists
of strings built by `motcua.notify.context`, so no attribute lookup can reach a model or the database.
`check` also refuses variables a kind does not document, so a typo is caught when the template is saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any, cast

from django.template import (
    Context,
    Engine,
    Library,
    Node,
    NodeList,
    Template,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)
from django.template.base import FilterExpression, Variable, VariableNode
from django.template.defaulttags import FirstOfNode, ForNode, IfNode, WithNode

ALLOWED_TAGS = ("if", "for", "with", "firstof", "comment", "spaceless")

register = Library()
for _name in ALLOWED_TAGS:
    register.tag(_name, defaulttags.register.tags[_name])
for _name, _filter in defaultfilters.register.filters.items():
    register.filter(_name, _filter)


class _SandboxEngine(Engine):
    default_builtins = ["motcua.notify.rendering"]


_engine: _SandboxEngine | None = None


def engine() -> _SandboxEngine:
    global _engine
    if _engine is None:
        _engine = _SandboxEngine(loaders=[], libraries={}, autoescape=False, string_if_invalid="")
    return _engine


@lru_cache(maxsize=512)
def _compiled(source: str) -> Template:
    # A handful of template texts serve every message: parse each once per process. A template the
    # administrator edits is a new text, so it is parsed anew; compiled templates hold no state.
    return engine().from_string(source)


def render(source: str, context: dict[str, Any]) -> str:
    """Render a template's source with plain values; raise TemplateSyntaxError if it is not allowed."""
    return _compiled(source).render(Context(context, autoescape=False))


def check(source: str, allowed: Iterable[str]) -> list[str]:
    """Return what is wrong with a template (syntax, tags, unknown variables); empty when it is fine."""
    try:
        template = engine().from_string(source)
    except TemplateSyntaxError as exc:
        return [str(exc)]
    unknown = sorted(_names(template.nodelist, set(allowed)))
    return [f"Unknown variable: {name}" for name in unknown]


def _expression_names(expression: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(expression, FilterExpression):
        if isinstance(expression.var, Variable) and expression.var.lookups:
            names.add(expression.var.lookups[0])
        for _func, args in expression.filters:
            for is_variable, arg in args:
                if is_variable and isinstance(arg, Variable) and arg.lookups:
                    names.add(arg.lookups[0])
    elif expression is not None:
        # Conditions of {% if %}: literals hold a FilterExpression in .value, operators their operands.
        for attr in ("value", "first", "second"):
            part = getattr(expression, attr, None)
            if part is not None and part is not expression:
                names |= _expression_names(part)
    return names


def _names(nodelist: NodeList | Iterable[Node], allowed: set[str]) -> set[str]:
    """Return the root names used in `nodelist` that are not in `allowed` (loop variables in scope)."""
    unknown: set[str] = set()
    for node in nodelist:
        if isinstance(node, VariableNode):
            unknown |= _expression_names(node.filter_expression) - allowed
        elif isinstance(node, ForNode):
            unknown |= _expression_names(node.sequence) - allowed
            inner = allowed | set(node.loopvars) | {"forloop"}
            loop, empty = cast(NodeList, node.nodelist_loop), cast(NodeList, node.nodelist_empty)
            unknown |= _names(loop, inner) | _names(empty, allowed)
        elif isinstance(node, IfNode):
            for condition, branch in node.conditions_nodelists:
                unknown |= _expression_names(condition) - allowed
                unknown |= _names(branch, allowed)
        elif isinstance(node, WithNode):
            for value in node.extra_context.values():
                unknown |= _expression_names(value) - allowed
            unknown |= _names(node.nodelist, allowed | set(node.extra_context))
        elif isinstance(node, FirstOfNode):
            for value in node.vars:
                unknown |= _expression_names(value) - allowed
        else:
            for attr in getattr(node, "child_nodelists", ()):
                child: NodeList | None = getattr(node, attr, None)
                unknown |= _names(child or NodeList(), allowed)
    return unknown
