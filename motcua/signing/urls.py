"""Digital-signature pages (public verification, staff certificates); mounted at the site root."""

from __future__ import annotations

app_name = "signing"
urlpatterns: list = []
