from __future__ import annotations

from django.contrib import admin

from motcua.org.models import AdministrativeUnit, Agency, Counter, ServicePoint, StaffRole, UnitLevel


@admin.register(UnitLevel)
class UnitLevelAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "rank")


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "sector", "unit", "merged_into", "is_active")
    list_filter = ("kind", "sector", "is_active")
    search_fields = ("code", "legacy_code", "name", "short_name")
    autocomplete_fields = ("unit", "parent", "merged_into")
    # Merging moves staff, counters and service points: it must go through the service, not a form.
    readonly_fields = ("merged_into", "merged_on")


class CounterInline(admin.TabularInline):
    model = Counter
    extra = 0
    autocomplete_fields = ("agency",)


@admin.register(ServicePoint)
class ServicePointAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "unit", "agency", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    autocomplete_fields = ("unit", "agency", "parent")
    filter_horizontal = ("served_agencies",)
    inlines = [CounterInline]


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ("service_point", "number", "name", "agency", "is_active")
    list_filter = ("service_point",)
    search_fields = ("name",)


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "service_point", "agency", "admin_unit", "counter", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__full_name")
    autocomplete_fields = ("user", "service_point", "agency", "admin_unit")
