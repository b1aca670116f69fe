"""Files left behind by an intake that rolled back are swept once old; files of dossiers never are."""

from __future__ import annotations

import datetime as dt
import os
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from motcua.dossiers import services
from motcua.dossiers.models import StoredFile
from motcua.dossiers.uploads import Upload, sweep_orphan_files

from .conftest import PNG, at, birth_bundle, pdf

DAY = dt.timedelta(hours=24)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _age(path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_an_intake_that_rolled_back_leaves_a_file_the_sweep_removes_when_old(people, points, media):
    bundle = birth_bundle(uploads=[pdf("to-khai.pdf", 0)])
    kept = services.receive_dossier(
        data=bundle,
        point=points["ttpvhcc-thanhsen"],
        actor=people["motcua.thanhsen"],
        now=at("2025-11-03 09:00"),
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        services.receive_dossier(
            data=birth_bundle(uploads=[Upload("anh.png", PNG, 1)]),
            point=points["ttpvhcc-thanhsen"],
            actor=people["motcua.thanhsen"],
            now=at("2025-11-03 09:05"),
        )
        raise RuntimeError("the database failed after the scans were stored")
    files = sorted(p for p in media.rglob("*") if p.is_file())
    assert len(files) == 2 and StoredFile.objects.count() == 1
    orphan = next(p for p in files if p.name != kept.files.get().sha256)

    assert sweep_orphan_files(older_than=DAY).removed == []  # young: it may be an intake in flight
    for path in files:
        _age(path, 30)
    dry = sweep_orphan_files(older_than=DAY, dry_run=True)
    assert [p.rsplit("/", 1)[1] for p in dry.removed] == [orphan.name] and orphan.exists()

    out = StringIO()
    call_command("dossiers_sweep_files", stdout=out)
    assert "removed: 1; old files still in use: 1" in out.getvalue()
    assert not orphan.exists()
    assert kept.files.get().file.read() == pdf().content  # the dossier's own scan is untouched


def test_an_empty_store_sweeps_nothing(media):
    assert sweep_orphan_files(older_than=DAY).removed == []


def test_files_of_a_failed_feedback_are_swept_too(media, province):
    from motcua.feedback.models import FeedbackFile
    from motcua.feedback.services import FeedbackIn, submit_feedback

    with pytest.raises(RuntimeError), transaction.atomic():
        submit_feedback(
            data=FeedbackIn(
                topic="other",
                subject="Góp ý về giờ làm việc",
                content="Đề nghị làm việc sáng thứ Bảy.",
                sender_name="Lê Văn Góp",
                sender_phone="0912345678",
                agency_code="H42.50.01",
                files=[Upload("anh.png", PNG)],
            )
        )
        raise RuntimeError("the database failed after the attachment was stored")
    [orphan] = [p for p in media.rglob("*") if p.is_file()]
    _age(orphan, 30)

    out = StringIO()
    call_command("dossiers_sweep_files", stdout=out)

    assert "removed: 1" in out.getvalue() and not orphan.exists()
    assert not FeedbackFile.objects.exists()
