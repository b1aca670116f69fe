"""Digital-signature pages (public verification, staff signing); mounted at the site root."""

from __future__ import annotations

from django.urls import path

from motcua.signing import views

app_name = "signing"
urlpatterns = [
    path("kiem-tra-chu-ky/", views.verify_page, name="verify"),
    # Beside the dossier's other staff pages (/can-bo/ho-so/<code>/tep/<id>/).
    path("can-bo/ho-so/<str:code>/tep/<int:file_id>/ky-so/", views.sign_file, name="sign_file"),
    path("can-bo/ho-so/<str:code>/ky-so-ban-scan/", views.sign_scans, name="sign_scans"),
]
