from __future__ import annotations


app_name = "dossiers"
urlpatterns: list = []
