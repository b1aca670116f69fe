"""The counter officer certifies every scan of a dossier in one go (Decree 45/2020 art. 25)."""

from __future__ import annotations

import pytest

from motcua.api.tests.conftest import Staff
from motcua.core.errors import NotFound, ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import FileKind
from motcua.signing.models import FileSignature, SignatureStatus

from .conftest import receive


def test_every_unsigned_scan_is_signed_once_and_again_there_is_nothing_to_sign(
    people, points, officer_certificate
):
    officer = people["motcua.thanhsen"]
    dossier = receive(people, points)
    first = dossier.files.get(original_name="to-khai.pdf")
    services.sign_file(code=dossier.code, file_id=first.pk, actor=officer)

    copies = services.sign_scans(code=dossier.code, actor=officer)

    assert [c.original_name for c in copies] == ["giay-chung-sinh-da-ky-so.pdf"]  # the first was signed
    assert copies[0].kind == FileKind.SCAN and copies[0].signatures.get().status == SignatureStatus.VALID
    assert dossier.events.filter(action=Action.SIGN_FILE).count() == 2
    with pytest.raises(ValidationFailed) as caught:
        services.sign_scans(code=dossier.code, actor=officer)
    assert caught.value.code == "nothing_to_sign"
    assert FileSignature.objects.filter(certificate=officer_certificate).count() == 2


def test_only_the_desks_officers_sign_scans_and_they_need_a_certificate(people, points, officer_certificate):
    dossier = receive(people, points)

    for outsider in (people["ct.thanhsen"], people["motcua.thachha"], people["stranger"]):
        with pytest.raises(NotFound):
            services.sign_scans(code=dossier.code, actor=outsider)
    officer = people["motcua.tuphap"]  # an officer of another point: not this dossier's desk
    with pytest.raises(NotFound):
        services.sign_scans(code=dossier.code, actor=officer)
    assert not FileSignature.objects.exists()


def test_an_officer_without_a_certificate_is_told_so(people, points):
    dossier = receive(people, points)

    with pytest.raises(ValidationFailed) as caught:
        services.sign_scans(code=dossier.code, actor=people["motcua.thanhsen"])

    assert caught.value.code == "officer_has_no_certificate"


def test_the_dossier_page_offers_to_sign_every_scan_and_does_it(client, people, points, officer_certificate):
    dossier = receive(people, points)
    client.force_login(people["motcua.thanhsen"])
    page = f"/can-bo/ho-so/{dossier.code}/"

    before = client.get(page).content.decode()
    response = client.post(
        f"/can-bo/ho-so/{dossier.code}/ky-so-ban-scan/", {"expected_version": dossier.version}, follow=True
    )

    assert "Ký số 2 bản scan bằng chứng thư số của tôi" in before
    text = response.content.decode()
    assert "Đã ký số 2 bản scan" in text and "Ký số 2 bản scan" not in text
    assert dossier.files.filter(original_name__endswith="-da-ky-so.pdf").count() == 2


def test_a_desk_officer_of_another_point_gets_not_found_whatever_her_form(client, people, points):
    dossier = receive(people, points)
    client.force_login(people["motcua.thachha"])
    url = f"/can-bo/ho-so/{dossier.code}/ky-so-ban-scan/"

    empty = client.post(url, {})  # was a redirect to the dossier's page before the form was checked
    filled = client.post(url, {"expected_version": dossier.version})

    dossier.refresh_from_db()
    assert (empty.status_code, filled.status_code) == (404, 404)
    assert not FileSignature.objects.exists()


def test_the_api_signs_every_scan(people, points, officer_certificate):
    dossier = receive(people, points)

    response = Staff(people)["motcua.thanhsen"].post(
        f"/api/v1/dossiers/{dossier.code}/scans/sign", {"expected_version": dossier.version}
    )
    again = Staff(people)["motcua.thanhsen"].post(
        f"/api/v1/dossiers/{dossier.code}/scans/sign", {"expected_version": dossier.version + 2}
    )

    assert response.status_code == 200, response.content
    assert sum(1 for f in response.json()["files"] if f["name"].endswith("-da-ky-so.pdf")) == 2
    assert again.status_code == 422 and again.json()["error"]["code"] == "nothing_to_sign"
