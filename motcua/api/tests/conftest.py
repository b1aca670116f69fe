"""API test set-up: the dossier personas, a frozen clock, bearer-token clients and base64 helpers."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from motcua.api.auth import issue_token
from motcua.dossiers.tests.conftest import PDF, at, people, points, province  # noqa: F401 (fixtures)

__all__ = ["PDF", "ApiClient", "at", "b64", "birth_json"]


def b64(content: bytes = PDF) -> str:
    return base64.b64encode(content).decode()


def birth_json(**overrides: Any) -> dict[str, Any]:
    """The birth – residence – health-insurance bundle as the counter software sends it."""
    body: dict[str, Any] = {
        "procedure_code": "2.002621",
        "service_point": "ttpvhcc-thanhsen",
        "channel": "counter",
        "applicant": {
            "name": "Trần Văn Bình",
            "id_number": "042090001234",
            "address": "Tổ 3, phường Thành Sen",
            "phone": "0912345678",
            "email": "binh@example.vn",
        },
        "provided": [0, 1, 3],
        "files": [
            {"name": "to-khai.pdf", "content_base64": b64(), "document_position": 0},
            {"name": "giay-chung-sinh.pdf", "content_base64": b64(), "document_position": 1},
        ],
        "form_data": {"child_name": "Trần Gia An", "child_birth_date": "2025-10-28"},
    }
    body.update(overrides)
    return body


class Clock:
    """The time every `timezone.now()` sees; move it with `clock.set("2025-11-03 09:00")`."""

    def __init__(self) -> None:
        self.now = at("2025-11-03 09:00")

    def set(self, text: str) -> dt.datetime:
        self.now = at(text)
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    frozen = Clock()
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    # Stored files go to a temporary folder; rate-limit counters start from zero in every test.
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


class ApiClient:
    """A Django test client speaking with one bearer token; writes get a fresh Idempotency-Key."""

    def __init__(self, key: str) -> None:
        self.client = Client()
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def get(self, path: str, params: dict[str, Any] | None = None, **extra: Any):
        return self.client.get(path, params or {}, **self.auth, **extra)

    def post(self, path: str, body: dict[str, Any] | None = None, *, key: str | None = None, **extra: Any):
        headers = {"HTTP_IDEMPOTENCY_KEY": key or str(uuid.uuid4()), **extra}
        return self.client.post(path, body or {}, content_type="application/json", **self.auth, **headers)


class Staff(dict):
    """staff["motcua.thanhsen"] is that persona's token client, made on first use."""

    def __init__(self, personas: dict[str, Any]) -> None:
        super().__init__()
        self.people = personas

    def __missing__(self, username: str) -> ApiClient:
        _, key = issue_token(user=self.people[username], name="test")
        self[username] = ApiClient(key)
        return self[username]


@pytest.fixture
def staff(people) -> Staff:  # noqa: F811 (the imported fixture)
    return Staff(people)
