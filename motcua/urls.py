from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from motcua.api.main import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("can-bo/bao-cao/", include("motcua.reports.urls")),
    path("can-bo/", include("motcua.dossiers.urls")),
    path("", include("motcua.signing.urls")),
    path("", include("motcua.feedback.urls")),
    path("", include("motcua.payments.urls")),
    path("", include("motcua.portal.urls")),
]
