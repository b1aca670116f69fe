"""Two submits of the same wizard at the same instant file one dossier (real row locks: PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import PDF
from motcua.portal import filing
from motcua.portal.filing import FilingState


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_with_one_nonce_file_one_dossier(citizen, points):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises the two writers anyway")
    filing.add_draft_files(
        user=citizen,
        code="2.002621",
        position=0,
        files=[SimpleUploadedFile("to-khai.pdf", PDF, content_type="application/pdf")],
    )
    state = FilingState(
        point="ttpvhcc-thanhsen",
        applicant={"name": "Nguyễn Thị Dân", "id_number": "042190005678", "address": "Thành Sen"},
        delivery="counter",
        nonce="same-nonce",
    )
    start = threading.Barrier(2)
    codes: list[str] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            start.wait()
            codes.append(
                filing.file_online(
                    citizen=citizen,
                    code="2.002621",
                    state=state,
                    point=points["ttpvhcc-thanhsen"],
                    nonce="same-nonce",
                )
            )
        except BaseException as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    assert len(codes) == 2 and codes[0] == codes[1]
    assert Dossier.objects.filter(citizen=citizen).count() == 1
