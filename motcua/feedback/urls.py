"""Rating and feedback pages (citizens and staff); mounted at the site root."""

from __future__ import annotations

from django.urls import path

from motcua.feedback.views import counter, portal, ratings, staff

app_name = "feedback"
urlpatterns = [
    path("phan-anh-kien-nghi/", portal.submit, name="submit"),
    path("phan-anh-kien-nghi/da-gui/<str:code>/", portal.sent, name="sent"),
    path("phan-anh-kien-nghi/theo-doi/", portal.follow_form, name="follow"),
    # The acknowledgement's link: /phan-anh-kien-nghi/theo-doi/<code>?secret=… (as the receipt's QR code).
    path("phan-anh-kien-nghi/theo-doi/<str:code>", portal.follow_code, name="follow_code"),
    path("phan-anh-kien-nghi/cong-khai/", portal.published, name="published"),
    path("danh-gia/<str:code>", ratings.rate_public, name="rate_public"),
    path("ca-nhan/ho-so/<str:code>/danh-gia/", ratings.rate_own, name="rate_own"),
    path("can-bo/phan-anh/", staff.inbox_page, name="inbox"),
    path("can-bo/phan-anh/<str:code>/", staff.detail, name="detail"),
    path("can-bo/phan-anh/<str:code>/thao-tac/<slug:slug>/", staff.act, name="act"),
    path("can-bo/phan-anh/<str:code>/tep/<int:file_id>/", staff.attachment, name="file"),
    path("can-bo/danh-gia-tai-quay/", counter.counter, name="counter"),
    path("can-bo/danh-gia-tai-quay/<str:code>/", counter.counter_screen, name="counter_screen"),
]
