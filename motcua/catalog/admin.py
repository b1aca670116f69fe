"""Catalog administration: drafts are edited here; publishing goes through the same services as import."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import (
    ChannelTimeLimit,
    FeeRule,
    Field,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    VersionAgency,
)
from motcua.catalog.process import process_warnings
from motcua.catalog.services import publish_version, refresh_version, unpublish_version
from motcua.catalog.text import search_tokens
from motcua.core.errors import DomainError


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


class VersionSummaryInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ("number", "effective_from", "effective_to", "status", "change", "name")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("effective_from",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "latest_name", "abolished_on", "replaced_by")
    search_fields = ("code", "versions__name")
    list_filter = (("abolished_on", admin.EmptyFieldListFilter),)
    readonly_fields = ("replaced_by", "abolished_on", "abolition_decision")
    inlines = (VersionSummaryInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Procedure]:
        latest = ProcedureVersion.objects.filter(procedure=OuterRef("pk")).order_by("-effective_from")
        return (
            super()
            .get_queryset(request)
            .select_related("replaced_by")
            .annotate(latest_name=Subquery(latest.values("name")[:1]))
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Procedure | None = None) -> Any:
        # The code is the identity dossiers and other provinces know the procedure by.
        return (*self.readonly_fields, "code") if obj is not None else self.readonly_fields

    @admin.display(description=_("name"))
    def latest_name(self, obj: Procedure) -> str:
        return getattr(obj, "latest_name", "") or ""


class _DraftOnlyInline(admin.TabularInline):
    """Children of a published version are frozen like the version itself."""

    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.is_editable

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.is_editable

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.is_editable


class AgencyRefInline(_DraftOnlyInline):
    model = VersionAgency
    fields = ("role", "position", "kind", "agency", "sector")
    raw_id_fields = ("agency",)


class ChannelTimeLimitInline(_DraftOnlyInline):
    model = ChannelTimeLimit
    fields = ("channel", "amount", "unit")


class RequiredDocumentInline(_DraftOnlyInline):
    model = RequiredDocument
    fields = (
        "position",
        "name",
        "form",
        "copies",
        "required",
        "condition",
        "template",
        "template_file",
        "note",
    )


class FeeRuleInline(_DraftOnlyInline):
    model = FeeRule
    fields = ("position", "kind", "name", "method", "amount_vnd", "unit", "cap_vnd", "channel", "exemption")


class ProcessStepInline(_DraftOnlyInline):
    model = ProcessStep
    fields = (
        "stage",
        "branch",
        "position",
        "name",
        "actor_kind",
        "agency",
        "sector",
        "role",
        "days",
        "counts_time",
    )
    raw_id_fields = ("agency",)


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = (
        "procedure",
        "number",
        "name",
        "field",
        "status",
        "online_level",
        "effective_from",
        "effective_to",
    )
    list_filter = ("status", "online_level", "field", "levels", "change")
    list_select_related = ("procedure", "field")
    search_fields = ("procedure__code", "name")
    date_hierarchy = "effective_from"
    raw_id_fields = ("procedure", "lead_agency")
    filter_horizontal = ("levels", "replaces")
    readonly_fields = ("number", "status", "effective_to", "published_at", "content_hash")
    inlines = (
        AgencyRefInline,
        ChannelTimeLimitInline,
        RequiredDocumentInline,
        FeeRuleInline,
        ProcessStepInline,
    )
    actions = ("publish_selected", "unpublish_selected")

    def get_readonly_fields(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> Any:
        if obj is not None and not obj.is_editable:
            # Dossiers may point at it: published content never changes (amend with a new version).
            meta = self.model._meta
            return [f.name for f in [*meta.fields, *meta.many_to_many] if f.name != "id"]
        return self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_editable)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> Any:
        found, duplicates = super().get_search_results(request, queryset, search_term)
        tokens = search_tokens(search_term)
        if tokens:
            # Also match without diacritics, as the public search does.
            folded = queryset
            for token in tokens:
                folded = folded.filter(search_text__contains=f" {token}")
            found = found | folded
        return found, duplicates

    def save_model(self, request: HttpRequest, obj: ProcedureVersion, form: Any, change: bool) -> None:
        if not change:
            last = obj.procedure.versions.order_by("-number").values_list("number", flat=True).first()
            obj.number = (last or 0) + 1
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if form.instance.is_editable:
            refresh_version(version=form.instance)

    @admin.action(description=_("Publish the selected versions"))
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset.select_related("procedure"):
            try:
                version = publish_version(version=version)
            except DomainError as exc:
                self.message_user(request, f"{version}: {exc.message}", messages.ERROR)
                continue
            steps = version.steps.all()
            for warning in process_warnings(
                steps, amount=version.time_limit_amount, unit=version.time_limit_unit
            ):
                self.message_user(request, f"{version}: {warning}", messages.WARNING)
            self.message_user(request, _("Published: %(version)s") % {"version": version}, messages.SUCCESS)

    @admin.action(description=_("Unpublish the selected versions"))
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset.select_related("procedure"):
            try:
                unpublish_version(version=version)
            except DomainError as exc:
                self.message_user(request, f"{version}: {exc.message}", messages.ERROR)
                continue
            self.message_user(request, _("Unpublished: %(version)s") % {"version": version}, messages.SUCCESS)
