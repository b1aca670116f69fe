"""Payments in the admin, read-only: every change goes through the services and leaves an audit event."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from motcua.payments.models import (
    DossierFees,
    FeeExemption,
    GatewayNotice,
    Payment,
    Refund,
    RefundRequest,
)


class ReadOnly:
    """Records of money: shown, never added, edited or deleted by hand."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(DossierFees)
class DossierFeesAdmin(ReadOnly, admin.ModelAdmin):
    list_display = (
        "dossier",
        "due_vnd",
        "paid_vnd",
        "exempted_vnd",
        "refunded_vnd",
        "settled_at",
        "settled_online",
    )
    list_filter = ("settled_online", ("settled_at", admin.EmptyFieldListFilter))
    search_fields = ("dossier__code",)
    list_select_related = ("dossier",)


@admin.register(Payment)
class PaymentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = (
        "dossier",
        "receipt_symbol",
        "receipt_number",
        "amount_vnd",
        "method",
        "status",
        "paid_at",
        "collected_by",
        "service_point",
    )
    list_filter = ("status", "method", "receipt_year", "service_point")
    search_fields = ("dossier__code", "order_id", "reference", "payer_name")
    date_hierarchy = "created_at"
    list_select_related = ("dossier", "collected_by", "service_point")


@admin.register(FeeExemption)
class FeeExemptionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("dossier", "amount_vnd", "legal_basis", "decided_by", "decided_at")
    search_fields = ("dossier__code",)
    list_select_related = ("dossier", "decided_by")


@admin.register(Refund)
class RefundAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("dossier", "amount_vnd", "method", "refunded_by", "refunded_at")
    search_fields = ("dossier__code",)
    list_select_related = ("dossier", "refunded_by")


@admin.register(RefundRequest)
class RefundRequestAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("refund_id", "dossier", "amount_vnd", "overpayment", "status", "attempts", "last_error")
    list_filter = ("status", "overpayment")
    search_fields = ("dossier__code", "refund_id")
    list_select_related = ("dossier",)


@admin.register(GatewayNotice)
class GatewayNoticeAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("received_at", "source", "order_id", "outcome", "code", "remote_addr")
    list_filter = ("outcome", "source", "code")
    search_fields = ("order_id",)
    date_hierarchy = "received_at"
