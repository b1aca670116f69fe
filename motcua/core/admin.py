from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from motcua.core.models import User


@admin.register(User)
class MotCuaUserAdmin(UserAdmin):
    list_display = ("username", "full_name", "email", "phone", "is_staff", "is_active")
    search_fields = ("username", "full_name", "email", "phone")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Contact"), {"fields": ("full_name", "phone")}),
    )


admin.site.site_header = _("MotCua administration")
admin.site.site_title = _("MotCua")
admin.site.index_title = _("Province administration")
