"""Report pages, mounted at /can-bo/bao-cao/."""

from __future__ import annotations

from django.urls import path

from motcua.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.results_page, name="results"),
    path("bao-cao.csv", views.results_csv, name="results_csv"),
    path("bao-cao.pdf", views.results_pdf, name="results_pdf"),
    path("chi-so-chat-luong/", views.quality_page, name="quality"),
]
