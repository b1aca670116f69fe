"""Citizen portal addresses, in Vietnamese as citizens read them; mounted at the site root."""

from __future__ import annotations

from django.urls import path

from motcua.portal.views import account, catalog, documents, dossiers, filing, lookup

app_name = "portal"
urlpatterns = [
    path("", catalog.home, name="home"),
    path("thu-tuc/", catalog.search, name="search"),
    path("thu-tuc/<str:code>/", catalog.procedure, name="procedure"),
    path("thu-tuc/<str:code>/mau/<int:position>/", catalog.blank_form, name="blank_form"),
    path("tra-cuu/", lookup.lookup, name="lookup"),
    # The receipt's QR code opens /tra-cuu/<code>?secret=… (motcua.dossiers.forms.lookup_url).
    path("tra-cuu/<str:code>", lookup.lookup_dossier, name="lookup_dossier"),
    path("tai-khoan/dang-nhap/", account.sign_in, name="sign_in"),
    path("tai-khoan/dang-ky/", account.sign_up, name="sign_up"),
    path("tai-khoan/xac-thuc/", account.verify, name="verify"),
    path("tai-khoan/gui-lai-ma/", account.resend, name="resend_code"),
    path("nop-truc-tuyen/da-nop/<str:dossier>/", filing.done, name="filing_done"),
    path("nop-truc-tuyen/<str:code>/", filing.start, name="filing"),
    path("nop-truc-tuyen/<str:code>/buoc-<int:step>/", filing.step, name="filing_step"),
    path("nop-truc-tuyen/<str:code>/giay-to/<int:position>/", filing.upload, name="filing_upload"),
    path(
        "nop-truc-tuyen/<str:code>/giay-to/<int:position>/<str:token>/xoa/",
        filing.remove,
        name="filing_remove",
    ),
    path("nop-truc-tuyen/<str:code>/giay-to/<int:position>/dung-lai/", filing.reuse, name="filing_reuse"),
    path(
        "nop-truc-tuyen/<str:code>/giay-to/<int:position>/dung-lai/<str:sha256>/bo/",
        filing.unreuse,
        name="filing_unreuse",
    ),
    path("nop-truc-tuyen/<str:code>/nop/", filing.submit, name="filing_submit"),
    path("ca-nhan/giay-to/", documents.my_documents, name="my_documents"),
    path("ca-nhan/giay-to/<str:sha256>/", documents.download, name="my_document"),
    path("ca-nhan/ho-so/", dossiers.my_dossiers, name="my_dossiers"),
    path("ca-nhan/ho-so/<str:code>/", dossiers.detail, name="dossier"),
    path("ca-nhan/ho-so/<str:code>/bo-sung/", dossiers.supplement, name="dossier_supplement"),
    path("ca-nhan/ho-so/<str:code>/rut/", dossiers.withdraw, name="dossier_withdraw"),
    path("ca-nhan/ho-so/<str:code>/dung/", dossiers.stop, name="dossier_stop"),
    path("ca-nhan/ho-so/<str:code>/phieu-hen.pdf", dossiers.receipt, name="dossier_receipt"),
    path("ca-nhan/ho-so/<str:code>/ket-qua/<str:sha256>/", dossiers.result, name="dossier_result"),
]
