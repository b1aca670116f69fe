"""Payment pages (collection at the counter, the day's statement, paying online); at the site root."""

from __future__ import annotations

from django.urls import path

from motcua.payments.views import day, demo_gateway, portal, staff

app_name = "payments"
urlpatterns = [
    # Beside the dossier's other staff pages (/can-bo/ho-so/<code>/…).
    path("can-bo/ho-so/<str:code>/thu-phi/", staff.collect, name="collect"),
    path("can-bo/ho-so/<str:code>/mien-giam-phi/", staff.exempt, name="exempt"),
    path("can-bo/ho-so/<str:code>/hoan-tra-phi/", staff.refund, name="refund"),
    path("can-bo/ho-so/<str:code>/hoan-tra-qua-cong/", staff.refund_online, name="refund_online"),
    path(
        "can-bo/ho-so/<str:code>/hoan-tra-qua-cong/<str:refund_id>/gui-lai/",
        staff.resend_refund,
        name="resend_refund",
    ),
    path("can-bo/ho-so/<str:code>/hoi-cong-thanh-toan/", staff.check_gateway, name="check_gateway"),
    path("can-bo/ho-so/<str:code>/bien-lai/<str:symbol>/<int:number>/", staff.receipt, name="receipt"),
    path("can-bo/thu-phi/", day.day_page, name="day"),
    path("can-bo/thu-phi/bang-ke.pdf", day.day_pdf, name="day_pdf"),
    path("can-bo/thu-phi/bang-ke.csv", day.day_csv, name="day_csv"),
    path("thanh-toan/ho-so/<str:code>/", portal.pay, name="pay"),
    path("thanh-toan/ket-qua/<str:order_id>/", portal.returned, name="returned"),
    path("thanh-toan/cong-thu-nghiem/", demo_gateway.demo_gateway, name="demo_gateway"),
    path(
        "ca-nhan/ho-so/<str:code>/bien-lai/<str:symbol>/<int:number>/",
        portal.own_receipt,
        name="own_receipt",
    ),
]
