"""Public look-up: the receipt's QR address, no personal data, no oracle, brute force limited."""

from __future__ import annotations

from django.utils import translation

from motcua.dossiers import services
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import DossierEvent
from motcua.portal.views.lookup import NOT_FOUND_MESSAGE

from .conftest import at, htmx

PERSONAL = ["Trần Văn Bình", "042090001234", "0912345678", "Tổ 3, phường Thành Sen", "binh@example.vn"]


def _label(status: str) -> str:
    with translation.override("vi"):
        return str(Status(status).label)


def _url(dossier, secret=None) -> str:
    return f"/tra-cuu/{dossier.code}?secret={secret if secret is not None else dossier.lookup_secret}"


def test_the_qr_address_shows_where_the_dossier_stands(client, accepted):
    response = client.get(_url(accepted))

    html = response.content.decode()
    assert response.status_code == 200
    assert accepted.code in html
    assert _label(accepted.status) in html
    assert accepted.procedure_version.name in html
    assert "Trung tâm Phục vụ hành chính công phường Thành Sen" in html
    assert "Ủy ban nhân dân phường Thành Sen" in html  # the agency holding the dossier now
    assert accepted.due_at is not None
    assert "06/11/2025" in html  # due three working days after 03/11/2025


def test_the_look_up_page_shows_no_personal_data_staff_names_or_internal_notes(client, accepted, people):
    officer = people["motcua.thanhsen"]
    DossierEvent.objects.create(
        dossier=accepted,
        at=at("2025-11-03 10:00"),
        action="note",
        actor=officer,
        actor_name=officer.full_name,
        comment="Ghi chú nội bộ: gọi lại cho người nộp",
        public=False,
    )

    html = client.get(_url(accepted)).content.decode()

    for value in [*PERSONAL, "Nguyễn Thị Dân", "Ghi chú nội bộ"]:
        assert value not in html
    assert officer.full_name and officer.full_name not in html


def test_reasons_written_to_the_applicant_stay_off_the_public_page(client, accepted, citizen):
    services.stop_dossier(
        code=accepted.code, actor=citizen, reason="Gia đình đã chuyển nơi ở", now=at("2025-11-03 11:00")
    )

    html = client.get(_url(accepted)).content.decode()

    assert _label(Status.STOPPED) in html
    assert "Gia đình đã chuyển nơi ở" not in html


def test_a_wrong_secret_and_an_unknown_code_get_the_same_answer(client, accepted):
    wrong_secret = client.get(_url(accepted, secret="AAAAAAAAAA"))
    unknown_code = client.get("/tra-cuu/H42.50.01-251103-019999?secret=" + accepted.lookup_secret)

    assert wrong_secret.status_code == unknown_code.status_code == 404
    message = str(NOT_FOUND_MESSAGE)
    for response in (wrong_secret, unknown_code):
        html = response.content.decode()
        assert message in html
        assert _label(accepted.status) not in html.split(message)[1]
        assert accepted.procedure_version.name not in html


def test_the_secret_is_read_without_case_or_spaces(client, accepted):
    response = client.get(_url(accepted, secret=f" {accepted.lookup_secret.lower()} "))

    assert response.status_code == 200


def test_the_look_up_is_not_indexed_cached_or_leaked_by_referer(client, accepted):
    for response in (client.get("/tra-cuu/"), client.get(_url(accepted))):
        assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert response["Cache-Control"] == "no-store"
        assert response["Referrer-Policy"] == "same-origin"  # never to another site


def test_the_form_posts_code_and_secret_and_htmx_gets_a_fragment(client, accepted):
    full = client.post("/tra-cuu/", {"code": accepted.code, "secret": accepted.lookup_secret})
    fragment = client.post("/tra-cuu/", {"code": accepted.code, "secret": accepted.lookup_secret}, **htmx())

    assert full.status_code == fragment.status_code == 200
    assert "<html" in full.content.decode() and "<html" not in fragment.content.decode()
    assert _label(accepted.status) in fragment.content.decode()


def test_an_empty_form_keeps_what_was_typed(client, province):
    response = client.post("/tra-cuu/", {"code": "H42.50.01-251103-010001", "secret": ""})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="H42.50.01-251103-010001"' in html
    assert 'aria-invalid="true"' in html


def test_a_submitted_dossier_waits_at_its_receiving_point(client, filed):
    html = client.get(_url(filed)).content.decode()

    assert _label(Status.SUBMITTED) in html
    assert "Trung tâm Phục vụ hành chính công phường Thành Sen" in html


def test_failed_attempts_on_one_code_are_limited_even_for_the_right_secret(client, accepted, settings):
    settings.MOTCUA = {**settings.MOTCUA, "LOOKUP_FAILS_PER_CODE": 3}
    for _ in range(3):
        assert client.get(_url(accepted, secret="WRONGWRONG")).status_code == 404

    blocked = client.get(_url(accepted))

    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert "Tra cứu sai quá nhiều lần" in blocked.content.decode()
    assert accepted.procedure_version.name not in blocked.content.decode()


def test_failed_attempts_from_one_address_are_limited_across_codes(client, accepted, settings):
    settings.MOTCUA = {**settings.MOTCUA, "LOOKUP_FAILS_PER_IP": 4}
    for n in range(4):
        client.post("/tra-cuu/", {"code": f"H42.50.01-251103-01{n:04d}", "secret": "WRONGWRONG"})

    blocked = client.post("/tra-cuu/", {"code": accepted.code, "secret": accepted.lookup_secret})
    other_address = client.get(_url(accepted), REMOTE_ADDR="10.0.0.9")

    assert blocked.status_code == 429
    assert other_address.status_code == 200


def test_successful_look_ups_are_not_counted(client, accepted, settings):
    settings.MOTCUA = {**settings.MOTCUA, "LOOKUP_FAILS_PER_CODE": 2, "LOOKUP_FAILS_PER_IP": 2}

    assert all(client.get(_url(accepted)).status_code == 200 for _ in range(5))


def test_the_page_and_the_json_look_up_share_one_failure_budget(client, accepted, settings):
    settings.MOTCUA = {**settings.MOTCUA, "LOOKUP_FAILS_PER_CODE": 3}
    for _ in range(3):
        client.get(_url(accepted, secret="WRONGWRONG"))

    api = client.get(f"/api/v1/lookup/{accepted.code}", {"secret": accepted.lookup_secret})

    assert api.status_code == 429
