"""Payment pages (the counter's collection and daily report, the citizen's online payment); at the site root."""

from __future__ import annotations

app_name = "payments"
urlpatterns: list = []
