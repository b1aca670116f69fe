"""The daily clean-up: old one-time codes and unfinished filings' files go; recent ones stay."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from motcua.dossiers.tests.conftest import PDF
from motcua.portal import filing, otp
from motcua.portal.models import DraftFile, OneTimeCode


def test_cleanup_deletes_only_what_is_stale(citizen):
    otp.request_code(identifier="old@example.vn", now=timezone.now() - dt.timedelta(days=2))
    otp.request_code(identifier="new@example.vn")
    [old, new] = [
        filing.add_draft_files(
            user=citizen,
            code="2.002621",
            position=0,
            files=[SimpleUploadedFile(name, PDF, content_type="application/pdf")],
        )[0]
        for name in ("old.pdf", "new.pdf")
    ]
    DraftFile.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    out = StringIO()

    call_command("portal_cleanup", stdout=out)

    assert list(OneTimeCode.objects.values_list("identifier", flat=True)) == ["new@example.vn"]
    assert list(DraftFile.objects.values_list("name", flat=True)) == ["new.pdf"]
    assert not old.file.storage.exists(old.file.name) and new.file.storage.exists(new.file.name)
    assert "1 one-time codes and 1 draft files deleted" in out.getvalue()
