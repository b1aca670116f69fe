"""Dossiers in the admin are read-only: every change goes through the services and leaves an event."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from motcua.dossiers.models import (
    Applicant,
    ApplicantDisclosure,
    Dossier,
    DossierEvent,
    DossierStep,
    StoredFile,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class StepInline(ReadOnlyInline):
    model = DossierStep
    fields = (
        "stage",
        "branch",
        "position",
        "attempt",
        "name",
        "agency",
        "role",
        "status",
        "due_at",
        "outcome",
    )


class EventInline(ReadOnlyInline):
    model = DossierEvent
    fields = ("at", "action", "actor_name", "agency", "from_status", "to_status", "comment")


class FileInline(ReadOnlyInline):
    model = StoredFile
    fields = ("kind", "original_name", "content_type", "size", "sha256", "uploaded_at")


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "procedure",
        "status",
        "channel",
        "receiving_point",
        "lead_agency",
        "received_at",
        "due_at",
    )
    list_filter = ("status", "channel", "receiving_point", "outcome")
    search_fields = ("code", "applicant__name", "applicant__id_number")
    date_hierarchy = "received_at"
    inlines = [StepInline, FileInline, EventInline]
    list_select_related = ("procedure", "receiving_point", "lead_agency")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Applicant)
class ApplicantAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "id_number", "phone", "email")
    search_fields = ("name", "id_number", "phone")

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ApplicantDisclosure)
class ApplicantDisclosureAdmin(admin.ModelAdmin):
    """Read only: the record of who was shown which applicant's data is not edited, even by admins."""

    list_display = ("at", "user", "applicant", "purpose", "through_api", "listed")
    list_filter = ("purpose", "through_api")
    search_fields = ("user__username", "applicant__id_number", "applicant__name")
    date_hierarchy = "at"
    list_select_related = ("user", "applicant")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
