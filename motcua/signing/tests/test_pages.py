"""Pages: the public check, signatures on the staff dossier page, signing there, the portal, the admin."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers import services
from motcua.dossiers.uploads import Upload
from motcua.signing.models import Certificate, FileSignature, SignatureStatus
from motcua.signing.pdfsign import sign_pdf
from motcua.signing.services import credential_of

from .conftest import document, png
from .test_certificates import _p12

VERIFY = "/kiem-tra-chu-ky/"


def _upload(content: bytes, name: str = "ket-qua.pdf") -> dict:
    return {"file": SimpleUploadedFile(name, content, content_type="application/pdf")}


def _sealed_result(ready, people) -> bytes:
    services.mark_result_ready(
        code=ready.code, actor=people["ct.thanhsen"], results=[Upload("kq.pdf", document())], sign=True
    )
    copy = ready.files.get(original_name="kq-da-ky-so.pdf")
    return copy.file.open("rb").read()


def test_anyone_checks_a_result_we_issued_and_learns_only_public_facts(client, ready, people, seal):
    body = client.post(VERIFY, _upload(_sealed_result(ready, people))).content.decode()

    assert "Tệp này là kết quả giải quyết thủ tục hành chính được trả qua hệ thống MotCua." in body
    assert ready.code in body and "Ủy ban nhân dân phường Thành Sen" in body
    assert "Mọi chữ ký đều hợp lệ" in body and "ỦY BAN NHÂN DÂN PHƯỜNG THÀNH SEN" in body
    assert "Trần Văn Bình" not in body and "042090001234" not in body  # no personal data


def test_a_pdf_signed_elsewhere_is_checked_but_not_called_ours(client, ready, seal):
    other = sign_pdf(document("Văn bản khác"), credential=credential_of(seal), reason="x", location="")

    response = client.post(VERIFY, _upload(other))

    body = response.content.decode()
    assert response.status_code == 200 and "Chữ ký hợp lệ" in body
    assert "không phải là kết quả được trả qua hệ thống MotCua" in body and ready.code not in body


def test_the_check_page_is_not_taken_for_the_sign_in_in_the_menu(client, db):
    page = client.get(VERIFY).content.decode()

    # Both apps name a view "verify": the menu tells them apart by namespace.
    assert 'aria-current="page">Đăng nhập<' not in page
    assert "Kiểm tra chữ ký số" in page


def test_a_file_that_is_not_a_pdf_or_too_large_is_refused(client, settings, db):
    settings.MOTCUA = {**settings.MOTCUA, "MAX_UPLOAD_MB": 1}

    not_pdf = client.post(VERIFY, _upload(png(), "anh.pdf"))
    too_large = client.post(VERIFY, _upload(b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10)))

    assert not_pdf.status_code == 422 and "không phải là PDF" in not_pdf.content.decode()
    assert too_large.status_code == 422 and "quá lớn" in too_large.content.decode()


def test_the_check_is_rate_limited_per_client(client, settings, db):
    settings.MOTCUA = {**settings.MOTCUA, "SIGNATURE_CHECKS_PER_IP": 2}
    for _ in range(2):
        assert client.post(VERIFY, _upload(document())).status_code == 200

    refused = client.post(VERIFY, _upload(document()))

    assert refused.status_code == 429 and refused["Retry-After"]


def test_the_dossier_page_shows_signatures_and_offers_to_sign(client, ready, people, officer_certificate):
    scan = ready.files.get(original_name="to-khai.pdf")
    sign_url = reverse("signing:sign_file", args=[ready.code, scan.pk])
    client.force_login(people["ct.thanhsen"])  # an agency leader does not sign the desk's scans
    assert sign_url not in client.get(reverse("dossiers:dossier", args=[ready.code])).content.decode()
    assert client.get(sign_url).status_code == 404

    client.force_login(people["motcua.thanhsen"])
    page = client.get(reverse("dossiers:dossier", args=[ready.code])).content.decode()
    assert sign_url in page
    panel = client.get(sign_url, HTTP_HX_REQUEST="true").content.decode()
    assert "Võ Thị Thu" in panel and 'name="expected_version"' in panel

    response = client.post(sign_url, {"expected_version": ready.version})

    assert response.status_code == 302
    page = client.get(reverse("dossiers:dossier", args=[ready.code])).content.decode()
    assert "to-khai-da-ky-so.pdf" in page and "Đã ký: Võ Thị Thu" in page and "Hợp lệ" in page
    assert sign_url not in page  # signed once with this certificate


def test_the_result_form_seals_by_default_when_the_agency_has_a_seal(client, ready, people, seal):
    client.force_login(people["ct.thanhsen"])
    url = reverse("dossiers:dossier_action", args=[ready.code, "co-ket-qua"])
    form = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="sign"' in form and "checked" in form and seal.common_name in form

    client.post(
        url,
        {
            "expected_version": ready.version,
            "comment": "",
            "sign": "on",
            "results": SimpleUploadedFile("kq.pdf", document(), content_type="application/pdf"),
        },
    )

    assert FileSignature.objects.filter(file__dossier=ready, status=SignatureStatus.VALID).count() == 1


def test_the_desk_is_not_offered_the_agencys_seal(client, ready, people, seal):
    client.force_login(people["motcua.thanhsen"])
    url = reverse("dossiers:dossier_action", args=[ready.code, "co-ket-qua"])

    form = client.get(url, HTTP_HX_REQUEST="true").content.decode()

    assert "co-ket-qua" in form and 'name="sign"' not in form and seal.common_name not in form


def test_the_citizen_sees_who_signed_her_result(client, ready, people, seal):
    _sealed_result(ready, people)
    citizen = people["citizen"]
    ready.citizen = citizen
    ready.save(update_fields=["citizen"])
    client.force_login(citizen)

    body = client.get(f"/ca-nhan/ho-so/{ready.code}/").content.decode()

    assert "đã ký số bởi ỦY BAN NHÂN DÂN PHƯỜNG THÀNH SEN lúc" in body
    assert "kq-da-ky-so.pdf" in body and ">kq.pdf<" not in body  # the signed copy stands for its original


def test_the_admin_imports_a_p12_with_its_password(admin_client, province):
    url = reverse("admin:signing_certificate_import")
    agency = Certificate._meta.get_field("agency").related_model.objects.get(code="H42.10")
    p12 = _p12(password="dung")

    wrong = admin_client.post(
        url, {"file": SimpleUploadedFile("s.p12", p12), "password": "sai", "agency": agency.pk}
    )
    assert wrong.status_code == 200 and "Mật khẩu của tệp chứng thư số không đúng." in wrong.content.decode()
    assert not Certificate.objects.exists()

    done = admin_client.post(
        url,
        {"file": SimpleUploadedFile("s.p12", p12), "password": "dung", "agency": agency.pk, "replace": "on"},
    )

    assert done.status_code == 302 and Certificate.objects.get().agency == agency
    listing = admin_client.get(reverse("admin:signing_certificate_changelist")).content.decode()
    assert "SỞ TƯ PHÁP TỈNH HÀ TĨNH" in listing and url in listing


def test_the_admin_adds_a_trusted_root_from_its_certificate_file(admin_client, seal):
    from django.utils import timezone

    from motcua.signing import certificates as certs
    from motcua.signing.models import TrustedRoot

    url = reverse("admin:signing_trustedroot_add")
    root = certs.make_authority("Root CA Chính phủ (thử)", now=timezone.now())
    leaf = admin_client.post(
        url, {"certificate_file": SimpleUploadedFile("x.pem", seal.certificate_pem.encode())}
    )
    assert leaf.status_code == 200 and "không phải là chứng thư số của tổ chức" in leaf.content.decode()

    added = admin_client.post(
        url,
        {
            "certificate_file": SimpleUploadedFile("root.cer", certs.to_pem(root.certificate).encode()),
            "note": "",
        },
    )

    assert added.status_code == 302
    assert TrustedRoot.objects.filter(name="Root CA Chính phủ (thử)", is_active=True).exists()
