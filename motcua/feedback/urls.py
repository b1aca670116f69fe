"""Rating and feedback pages (citizens and staff); mounted at the site root."""

from __future__ import annotations

app_name = "feedback"
urlpatterns: list = []
