"""Staff pages, mounted at /can-bo/."""

from __future__ import annotations

from django.urls import path

from motcua.dossiers.views import actions, board, digitised, dossier, home, intake, online, work
from motcua.org import views as org_views

app_name = "dossiers"
urlpatterns = [
    path("", home.home, name="home"),
    path("vai-tro/", org_views.switch_role, name="switch_role"),
    path("tiep-nhan/", intake.intake, name="intake"),
    path("tiep-nhan/thu-tuc/", intake.procedure_search, name="procedure_search"),
    path("tiep-nhan/thu-tuc/<str:code>/", intake.procedure_panel, name="procedure_panel"),
    path("tiep-nhan/hen-tra/", intake.appointment_preview, name="appointment_preview"),
    path("tiep-nhan/nguoi-nop/", intake.applicant_lookup, name="applicant_lookup"),
    path("tiep-nhan/giay-to-da-so-hoa/", digitised.digitised_panel, name="digitised_panel"),
    path("tiep-nhan/giay-to-da-so-hoa/<str:token>/", digitised.digitised_file, name="digitised_file"),
    path("tiep-nhan/tep/", intake.stage_files, name="stage_files"),
    path("tiep-nhan/tep/xoa/", intake.unstage_file, name="unstage_file"),
    path("tiep-nhan/ket-qua/<str:code>/", intake.intake_done, name="intake_done"),
    path("truc-tuyen/", online.online_list, name="online"),
    path("truc-tuyen/<str:code>/", online.online_detail, name="online_detail"),
    path("viec-cua-toi/", work.my_work, name="work"),
    path("ho-so/<str:code>/", dossier.dossier_page, name="dossier"),
    path("ho-so/<str:code>/dien-bien/", dossier.dossier_timeline, name="dossier_timeline"),
    path("ho-so/<str:code>/tep/<int:file_id>/", dossier.dossier_file, name="dossier_file"),
    path("ho-so/<str:code>/tep/<int:file_id>/xem/", dossier.file_preview, name="file_preview"),
    path("ho-so/<str:code>/bieu-mau/<str:name>/", dossier.form_pdf, name="form_pdf"),
    path("ho-so/<str:code>/thao-tac/<slug:slug>/", actions.dossier_action, name="dossier_action"),
    path("bang-dieu-hanh/", board.board, name="board"),
    path("tra-cuu/", home.lookup, name="lookup"),
]
