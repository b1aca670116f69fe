"""Admin: signing certificates (imported from a .p12 with its password, or held in a PKCS#11 token),
trusted roots, signatures."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.signing import services
from motcua.signing.forms import Pkcs12ImportForm, TokenImportForm, TrustedRootForm
from motcua.signing.keys import is_passphrase_configured
from motcua.signing.models import Certificate, FileSignature, TrustedRoot
from motcua.signing.tokens import TokenKey

CERTIFICATE_FIELDS = (
    "common_name",
    "organisation",
    "subject",
    "issuer",
    "serial",
    "fingerprint",
    "key_type",
    "key_storage",
    "token_label",
    "key_label",
    "key_id",
    "valid_from",
    "valid_to",
    "agency",
    "user",
    "is_active",
    "created_at",
    "created_by",
    "deactivated_at",
    "deactivated_by",
    "standing",
    "standing_checked_at",
    "revoked_at",
    "expiry_warned_days",
)


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Certificates come in only through the .p12 import (the key is encrypted there) or from a PKCS#11
    token (the key stays there), never as typed rows."""

    list_display = (
        "common_name",
        "agency",
        "user",
        "valid_to",
        "is_active",
        "standing",
        "key_type",
        "key_storage",
        "issuer",
    )
    list_filter = ("is_active", "standing", "key_type", "key_storage")
    search_fields = ("common_name", "organisation", "serial", "fingerprint", "agency__name", "user__username")
    ordering = ("-is_active", "valid_to")
    fields = CERTIFICATE_FIELDS
    readonly_fields = CERTIFICATE_FIELDS
    actions = ["deactivate"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the import view below is the way in

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # signatures point at it; deactivate instead

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view(self.import_view)
        token_view = self.admin_site.admin_view(self.import_token_view)
        return [
            path("nhap-p12/", view, name="signing_certificate_import"),
            path("nhap-token/", token_view, name="signing_certificate_import_token"),
            *super().get_urls(),
        ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra = {
            "import_url": reverse("admin:signing_certificate_import"),
            "import_token_url": reverse("admin:signing_certificate_import_token"),
            "passphrase_configured": is_passphrase_configured(),
        }
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    @admin.action(description=gettext_lazy("Deactivate the selected certificates"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Certificate]) -> None:
        for certificate in queryset.filter(is_active=True):
            services.deactivate_certificate(certificate=certificate, actor=_actor(request))
        self.message_user(request, _("The certificates no longer sign."), messages.SUCCESS)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a .p12/.pfx with its password for an agency (seal) or an officer."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = Pkcs12ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                certificate = services.import_certificate(
                    data=data["file"].read(),
                    password=data["password"],
                    agency=data["agency"],
                    user=data["user"],
                    actor=_actor(request),
                    replace=data["replace"],
                )
            except DomainError as exc:
                form.add_error("password" if exc.code == "pkcs12_wrong_password" else None, exc.message)
            else:
                return self._imported(request, certificate)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a signing certificate (.p12)"),
            "form": form,
            "passphrase_configured": is_passphrase_configured(),
        }
        return TemplateResponse(request, "admin/signing/certificate/import.html", context)

    def import_token_view(self, request: HttpRequest) -> HttpResponse:
        """Register the certificate of a key held in a PKCS#11 token or HSM for an agency or an officer."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = TokenImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            token = TokenKey(data["token_label"], key_label=data["key_label"], key_id=data["key_id"])
            try:
                certificate = services.register_token_certificate(
                    token=token,
                    certificate_data=data["certificate"].read() if data["certificate"] else b"",
                    agency=data["agency"],
                    user=data["user"],
                    actor=_actor(request),
                    replace=data["replace"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                return self._imported(request, certificate)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Register a certificate whose key is in a PKCS#11 token or HSM"),
            "form": form,
            "passphrase_configured": True,  # no key is stored: the passphrase plays no part
        }
        return TemplateResponse(request, "admin/signing/certificate/import_token.html", context)

    def _imported(self, request: HttpRequest, certificate: Certificate) -> HttpResponse:
        self.message_user(
            request,
            _("Certificate of %(name)s imported; it signs from now on.") % {"name": certificate.common_name},
            messages.SUCCESS,
        )
        return redirect("admin:signing_certificate_changelist")


@admin.register(TrustedRoot)
class TrustedRootAdmin(admin.ModelAdmin):
    list_display = ("name", "valid_to", "is_active", "holds_key", "fingerprint")
    list_filter = ("is_active",)
    search_fields = ("name", "subject", "fingerprint")
    readonly_fields = (
        "name",
        "subject",
        "serial",
        "fingerprint",
        "valid_from",
        "valid_to",
        "added_at",
        "added_by",
    )

    @admin.display(boolean=True, description=gettext_lazy("development CA"))
    def holds_key(self, obj: TrustedRoot) -> bool:
        return bool(obj.private_key)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = TrustedRootForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["certificate_file", "note"]
        return [*self.readonly_fields, "is_active", "note"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: TrustedRoot, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # The certificate file decides every field: the service reads it and refuses what is not a CA.
        created = services.add_trusted_root(
            data=form.cleaned_data["certificate_file"].read(), actor=_actor(request), note=obj.note
        )
        obj.pk = created.pk
        obj.refresh_from_db()


@admin.register(FileSignature)
class FileSignatureAdmin(admin.ModelAdmin):
    list_display = ("file", "signer_name", "signed_at", "status", "origin", "purpose", "verified_at")
    list_filter = ("status", "origin", "purpose")
    search_fields = ("signer_name", "signer_fingerprint", "file__dossier__code", "file__original_name")
    list_select_related = ("file",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
