"""Ratings and feedback in the admin, read-only (every change goes through the services and leaves an
audit row), and the satisfaction scheme in force, as the configuration file defines it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from motcua.feedback.models import Feedback, FeedbackEvent, FeedbackFile, FeedbackPublication, Rating
from motcua.feedback.schemes import all_schemes, scheme_file


class ReadOnly:
    """Records of what people did: shown, never edited or added by hand."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class EventInline(ReadOnly, admin.TabularInline):
    model = FeedbackEvent
    extra = 0
    can_delete = False
    fields = ("at", "action", "actor_name", "from_agency", "to_agency", "reason")
    readonly_fields = fields


class FileInline(ReadOnly, admin.TabularInline):
    model = FeedbackFile
    extra = 0
    can_delete = False
    fields = ("original_name", "content_type", "size", "sha256", "uploaded_at")
    readonly_fields = fields


class PublicationInline(ReadOnly, admin.TabularInline):
    model = FeedbackPublication
    extra = 0
    can_delete = False
    fields = ("revision", "published_at", "published_by", "withdrawn_at", "withdrawn_by", "withdraw_reason")
    readonly_fields = fields


@admin.register(Feedback)
class FeedbackAdmin(ReadOnly, admin.ModelAdmin):
    list_display = (
        "code",
        "topic",
        "agency",
        "assignee",
        "status",
        "received_at",
        "due_at",
        "on_time",
        "published_at",
    )
    list_filter = ("status", "topic", "on_time", ("published_at", admin.EmptyFieldListFilter))
    search_fields = ("code", "subject", "sender_name", "dossier__code", "procedure__code")
    date_hierarchy = "received_at"
    list_select_related = ("agency", "assignee")
    inlines = [FileInline, EventInline, PublicationInline]
    exclude = ("secret", "submission_key", "submission_hash")


@admin.register(Rating)
class RatingAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("dossier", "level", "satisfied", "total", "max_total", "channel", "rated_at", "scheme")
    list_filter = ("satisfied", "level", "channel", "scheme")
    search_fields = ("dossier__code",)
    date_hierarchy = "rated_at"
    list_select_related = ("dossier",)
    change_list_template = "admin/feedback/rating/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        scheme = path("scheme/", self.admin_site.admin_view(self.scheme_view), name="feedback_rating_scheme")
        return [scheme, *super().get_urls()]

    def scheme_view(self, request: HttpRequest) -> HttpResponse:
        """The versions of the satisfaction scheme: scale, criteria and their points, indicators, limits."""
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": _("Satisfaction scheme"),
            "schemes": all_schemes(),
            "file": scheme_file(),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/feedback/rating/scheme.html", context)
