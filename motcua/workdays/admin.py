from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from motcua.workdays.models import AnnouncedDay, OfficeCalendar


class AnnouncedDayInline(admin.TabularInline):
    model = AnnouncedDay
    extra = 0
    fields = ("date", "kind", "name")
    ordering = ("-date",)


@admin.register(OfficeCalendar)
class OfficeCalendarAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "unit_code",
        "is_default",
        "hours_per_day",
        "transfer_cutoff",
        "online_cutoff",
    )
    list_filter = ("is_default",)
    search_fields = ("name", "code", "unit_code")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "code", "unit_code", "is_default")}),
        (_("Office hours"), {"fields": ("sessions", "hours_per_day", "timezone")}),
        (_("Cut-off times"), {"fields": ("transfer_cutoff", "online_cutoff")}),
        (_("History"), {"fields": ("created_at", "updated_at")}),
    )
    inlines = (AnnouncedDayInline,)


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = AnnouncedDay.objects.dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[AnnouncedDay]) -> QuerySet[AnnouncedDay]:
        value = self.value()
        return queryset.filter(date__year=int(value)) if value and value.isdigit() else queryset


@admin.register(AnnouncedDay)
class AnnouncedDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "name", "calendar")
    list_filter = (YearFilter, "kind", ("calendar", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "calendar__code", "calendar__name")
    date_hierarchy = "date"
    list_select_related = ("calendar",)
    autocomplete_fields = ("calendar",)
    readonly_fields = ("created_at", "updated_at")

    @admin.display(description=_("weekday"))
    def weekday(self, obj: AnnouncedDay) -> str:
        return date_format(obj.date, "l")
