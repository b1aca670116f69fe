"""Bearer tokens and browser sessions on the dossier API; the catalog stays public."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from motcua.api.auth import issue_token, revoke_token
from motcua.api.models import ApiToken

from .conftest import birth_json

BASE = "/api/v1/dossiers"
NOT_AUTHENTICATED = {
    "error": {"code": "not_authenticated", "message": "Cần đăng nhập hoặc mã truy cập hợp lệ.", "fields": {}}
}


def _bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_request_without_credentials_is_a_401_in_the_error_shape(db):
    client = Client()

    read = client.get(BASE)
    write = client.post(BASE, {}, content_type="application/json")
    basic = client.get(BASE, HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")

    assert [read.status_code, write.status_code, basic.status_code] == [401, 401, 401]
    assert read.json() == write.json() == NOT_AUTHENTICATED


def test_unknown_revoked_expired_and_inactive_tokens_are_refused(people, clock):
    user = people["motcua.thanhsen"]
    revoked, revoked_key = issue_token(user=user, name="old")
    revoke_token(token=revoked)
    _, expired_key = issue_token(user=user, name="short", expires_at=clock.now - dt.timedelta(seconds=1))
    _, inactive_key = issue_token(user=people["stranger"], name="gone")
    people["stranger"].is_active = False
    people["stranger"].save()
    _, good_key = issue_token(user=user, name="good")

    for key in ["not-a-key", good_key[:8] + "x" * 35, revoked_key, expired_key, inactive_key]:
        response = Client().get(BASE, **_bearer(key))
        assert response.status_code == 401, key
        assert response.json()["error"]["code"] == "invalid_token"
    assert Client().get(BASE, **_bearer(good_key)).status_code == 200


def test_a_bad_token_is_refused_even_beside_a_valid_session(people):
    client = Client()
    client.force_login(people["motcua.thanhsen"])

    assert client.get(BASE).status_code == 200
    assert client.get(BASE, **_bearer("wrong")).status_code == 401


def test_the_database_keeps_only_a_prefix_and_a_hash_and_records_use(people, clock):
    _, key = issue_token(user=people["motcua.thanhsen"], name="Phần mềm đất đai")

    Client().get(BASE, **_bearer(key))

    stored = ApiToken.objects.get()
    assert len(key) >= 43 and key not in str(stored.__dict__)
    assert (stored.key_prefix, stored.key_hash) == (key[:8], hashlib.sha256(key.encode()).hexdigest())
    assert stored.last_used_at == clock.now


def test_a_session_write_needs_the_csrf_token_and_a_token_write_does_not(people, clock):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["motcua.thanhsen"])
    _, key = issue_token(user=people["motcua.thanhsen"], name="desk")

    no_csrf = browser.post(BASE, birth_json(), content_type="application/json")
    browser.get("/admin/login/")  # any page that sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    with_csrf = browser.post(BASE, birth_json(), content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    by_token = Client(enforce_csrf_checks=True).post(
        BASE, birth_json(), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1", **_bearer(key)
    )

    assert (no_csrf.status_code, no_csrf.json()["error"]["code"]) == (403, "csrf_failed")
    assert with_csrf.status_code == 201, with_csrf.json()
    assert by_token.status_code == 201, by_token.json()


def test_create_api_token_prints_a_key_that_works(people):
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "create_api_token", "cv.datdai", "--name", "Phần mềm đất đai", "--days", "30", stdout=out, stderr=err
    )

    key = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.name == "Phần mềm đất đai" and token.user.username == "cv.datdai"
    assert token.expires_at is not None and token.expires_at > timezone.now() + dt.timedelta(days=29)
    assert Client().get(BASE, **_bearer(key)).status_code == 200
    assert key not in err.getvalue()


def test_create_api_token_refuses_an_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", "--name", "x", stdout=io.StringIO(), stderr=io.StringIO())


def test_the_public_catalog_and_look_up_need_no_credentials(db):
    assert Client().get("/api/v1/procedures").status_code == 200
    assert Client().get("/api/v1/lookup/NO-SUCH", {"secret": "ABC"}).status_code == 404
