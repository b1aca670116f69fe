"""Idempotency-Key on API writes: a repeated request gets the first response, and the work runs once.

Contract (documented in the OpenAPI of every dossier POST):
- Token clients (agency software, scripts) MUST send `Idempotency-Key`: they retry on timeouts, and a
  retried intake must not make a second dossier. Browser sessions MAY send it (the pages do not need to,
  a person sees the result of a click).
- The same key with the same method, path and request → the stored status and body, without running the
  operation again. The same key with anything else → 422 `idempotency_key_reused`.
- Only successful responses are remembered: a refused request changed nothing, so its key may be used
  again once the request is fixed.
- The record is inserted before the operation, in the same transaction: a concurrent duplicate waits on
  the unique (user, key) index, fails when the first commits, and replays the committed response.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import inspect
import json
import typing
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema, Status
from ninja.params import functions as param_functions
from ninja.responses import NinjaJSONEncoder

from motcua.api.auth import is_token_client
from motcua.api.models import IdempotencyRecord
from motcua.core.errors import ValidationFailed
from motcua.core.models import User

HEADER = "Idempotency-Key"
KEEP_FOR = dt.timedelta(hours=24)

View = Callable[..., Status]


def _canonical(value: Any) -> Any:
    if isinstance(value, Schema):
        return value.model_dump(mode="json")
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": value.name, "sha256": digest.hexdigest()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def request_fingerprint(arguments: dict[str, Any]) -> str:
    """Hash what the view received (path values, body, files), independent of key order or boundaries."""
    text = json.dumps({k: _canonical(v) for k, v in arguments.items()}, sort_keys=True, cls=NinjaJSONEncoder)
    return hashlib.sha256(text.encode()).hexdigest()


def _as_json(result: Schema) -> Any:
    # Rendered as the API renders it, so a replay is the same bytes as the first answer.
    return json.loads(json.dumps(result.model_dump(by_alias=True), cls=NinjaJSONEncoder))


def _replay(record: IdempotencyRecord, method: str, path: str, digest: str) -> Status:
    if (record.method, record.path, record.request_hash) != (method, path, digest):
        raise ValidationFailed(
            _("This Idempotency-Key was used for a different request; use a new key."),
            code="idempotency_key_reused",
            fields={HEADER: ["reused with a different request"]},
        )
    return Status(record.status, record.response_body)


def _check_key(request: HttpRequest, key: str | None) -> str | None:
    key = (key or "").strip() or None
    if key is None and is_token_client(request):
        raise ValidationFailed(
            _("Applications using an access token must send an Idempotency-Key header with every write."),
            code="idempotency_key_required",
            fields={HEADER: ["required for token clients"]},
        )
    return key


def run_once(
    request: HttpRequest, key: str | None, arguments: dict[str, Any], operation: Callable[[], Status]
) -> Status:
    """Run `operation` at most once per (user, key); return the status and JSON body of the first success."""
    key = _check_key(request, key)
    if key is None:
        done = operation()
        return Status(done.status_code, _as_json(done.value))
    user: User = request.user  # type: ignore[assignment]  # the auth classes let only users in
    method, path = request.method or "POST", request.path
    digest = request_fingerprint(arguments)
    found = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if found is not None:
        return _replay(found, method, path, digest)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                user=user, key=key, method=method, path=path, request_hash=digest, status=0
            )
            done = operation()
            record.status, record.response_body = done.status_code, _as_json(done.value)
            record.save(update_fields=["status", "response_body"])
    except IntegrityError:
        found = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if found is None:
            raise  # not our key: a real integrity error of the operation
        return _replay(found, method, path, digest)
    return Status(record.status, record.response_body)


def idempotent(view: View) -> Callable[..., Status]:
    """Give a POST view an `Idempotency-Key` header and run it through `run_once`."""
    hints = typing.get_type_hints(view, include_extras=True)
    signature = inspect.signature(view)
    header = inspect.Parameter(
        "idempotency_key",
        inspect.Parameter.KEYWORD_ONLY,
        annotation=str | None,
        default=param_functions.Header(
            None,
            alias=HEADER,
            max_length=255,
            description="Unique per operation (a UUID). Required with a bearer token, optional in a session.",
            example="4f1c7b6e-2d0a-4c1e-9a55-0b8a2f9e6d13",
        ),
    )
    parameters = [
        p.replace(annotation=hints.get(p.name, p.annotation)) for p in signature.parameters.values()
    ]

    @functools.wraps(view)
    def wrapper(
        request: HttpRequest, *args: Any, idempotency_key: str | None = None, **kwargs: Any
    ) -> Status:
        return run_once(request, idempotency_key, kwargs, lambda: view(request, *args, **kwargs))

    # Ninja reads the parameters from the signature: the view's own (resolved) plus the header.
    wrapper.__signature__ = signature.replace(parameters=[*parameters, header])  # type: ignore[attr-defined]
    return wrapper


def purge_idempotency_records(older_than: dt.timedelta = KEEP_FOR, *, now: dt.datetime | None = None) -> int:
    """Delete records older than `older_than` (24 h by default); return how many went."""
    cutoff = (now or timezone.now()) - older_than
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
