"""Settings read from the environment where a deployment needs a switch (checked in a fresh interpreter)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _setting(name: str, **env: str) -> str:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(repr(getattr(settings, {name!r}, None)))"
    )
    # The defaults are under test: the switches a developer may have set are left out.
    kept = {k: v for k, v in os.environ.items() if k != "TLS_PROXY" and not k.startswith("MOTCUA_MAX_")}
    environment = kept | env
    environment["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_the_tls_proxy_header_is_believed_only_when_the_deployment_says_so():
    assert _setting("SECURE_PROXY_SSL_HEADER") == "None"
    assert _setting("SECURE_PROXY_SSL_HEADER", TLS_PROXY="1") == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_the_nginx_sample_and_the_settings_agree_on_the_request_limit():
    conf = (ROOT / "deploy/nginx/motcua.conf").read_text(encoding="utf-8")
    limit = _setting("MOTCUA")
    assert "client_max_body_size 200m;" in conf and "'MAX_REQUEST_MB': 200" in limit
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
