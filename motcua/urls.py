from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from motcua.api.main import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
