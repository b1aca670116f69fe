"""A returning applicant: her proof of residence, scanned and signed in an earlier dossier, is reused later.

Decree 45/2020 art. 16–17: the temporary residence registered first (its proof of lawful residence
scanned and signed by the counter officer, the dossier returned), the permanent residence at the same
place filed afterwards points at that signed copy instead of asking for the paper again. So "Giấy tờ đã
số hóa" (the counter's panel, the citizen's page when the demo citizen files it) and the data-reuse
indicator have something to show. Filed online by the demo citizen when there is one, else at the counter.

The signature is real: the officer signs with the demo certificate the signing demo gives every counter
officer (motcua/signing/demo.py), issued here the same way when it is missing. A certificate is valid from
the day before it was issued, so the signing, the hand-over and the later filing fall after that moment.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import math
from typing import TYPE_CHECKING

from django.utils import timezone
from fpdf import FPDF

from motcua.catalog.parts import version_parts
from motcua.catalog.selectors import version_for_filing
from motcua.dossiers import services
from motcua.dossiers.demo.cast import HISTORY, THANH_SEN, Story
from motcua.dossiers.demo.desk import Desk, OutOfTime, Play
from motcua.dossiers.models import Channel, Dossier, FileKind, StoredFile
from motcua.dossiers.pdf.document import font_path
from motcua.dossiers.services import Reused
from motcua.dossiers.uploads import Upload
from motcua.signing.demo import load_demo_certificates
from motcua.signing.models import Certificate
from motcua.signing.selectors import active_certificate_of

if TYPE_CHECKING:
    from motcua.core.demo import DemoReport

KEY = 900  # the applicant's demo ID number ends in 900, out of the stories' range
EARLIER, LATER = "1.004194", "1.004222"  # temporary residence first, permanent residence later
PROOF = "chỗ ở hợp pháp"  # the listed document both procedures ask for: proof of lawful residence


def _scan(text: str) -> bytes:
    """A one-page PDF, as a scanner's software makes it: the demo's tiny PDF cannot carry a signature."""
    sheet = FPDF()
    sheet.add_page()
    sheet.add_font("serif", "", font_path(""))
    sheet.set_font("serif", size=14)
    sheet.cell(text=text)
    return bytes(sheet.output())


def _proof(procedure: str, at: dt.datetime) -> int:
    documents = version_parts(version_for_filing(procedure, at)).documents
    return next(d.position for d in documents if PROOF in d.name)


def _receipt(desk: Desk) -> dt.datetime:
    """Far enough back for the earlier dossier to be handled, as the stories' early returns are."""
    version = version_for_filing(EARLIER, desk.now)
    days, _unit = version_parts(version).time_limit_for(version, Channel.COUNTER)
    moment = desk.receipt(min(math.ceil(days) + 4, HISTORY), 1)
    if timezone.localdate(moment) < version.effective_from:
        raise OutOfTime
    return moment


def _certificate(play: Play, report: DemoReport | None) -> Certificate:
    """The officer's certificate; when missing, the signing demo's are loaded (it makes only what lacks)."""
    from motcua.core.demo import DemoReport  # core.demo imports this package: imported when needed

    held = active_certificate_of(play.officer)
    if held is None:
        load_demo_certificates(report if report is not None else DemoReport())
        held = active_certificate_of(play.officer)
    if held is None:
        raise OutOfTime  # the officer is no counter officer in this demo: nobody to sign
    return held


def _file_earlier(play: Play) -> None:
    proof = _proof(EARLIER, play.at)
    name = play.applicant.name
    declaration = _scan(f"Tờ khai CT01 – {name}")
    lease = _scan(f"Hợp đồng thuê nhà – {name}")
    scans = [
        Upload(name="to-khai-ct01.pdf", content=declaration, document_position=0),
        Upload(name="hop-dong-thue-nha.pdf", content=lease, document_position=proof),
    ]
    play.receive(dataclasses.replace(play.intake(), uploads=scans))


def _sign_proof(play: Play, report: DemoReport | None) -> StoredFile:
    """The officer signs the scanned proof while the dossier is open, once her certificate is valid."""
    certificate = _certificate(play, report)
    play.after(0.25, start=max(play.at, certificate.valid_from))
    scan = StoredFile.objects.get(
        dossier__code=play.code, kind=FileKind.SCAN, original_name="hop-dong-thue-nha.pdf"
    )
    return services.sign_file(code=play.code, file_id=scan.pk, actor=play.officer, now=play.at)


def load_returning_applicant(desk: Desk, report: DemoReport | None = None) -> list[str]:
    """Play the returning applicant's two dossiers unless her ID number is there; return the codes made."""
    online = desk.citizen is not None
    story = Story(KEY, THANH_SEN, EARLIER, "motcua.thanhsen", "returned", 0.0, pace=0.45, online=online)
    if Dossier.objects.filter(applicant__id_number=story.id_number).exists():
        return []
    made: list[str] = []
    with contextlib.suppress(OutOfTime):  # the rest lies after now: what was made stays as it is
        earlier = Play(desk, story, _receipt(desk))
        _file_earlier(earlier)
        made.append(earlier.code)
        earlier.work()
        signed = _sign_proof(earlier, report)
        earlier.result_ready()
        earlier.hand_over(wait=0.5)
        later = Play(desk, dataclasses.replace(story, procedure=LATER, ending="fresh"), earlier.after(1))
        reused = [Reused(position=_proof(LATER, later.at), file_id=signed.pk)]
        later.receive(dataclasses.replace(later.intake(), reused=reused))
        made.append(later.code)
    return made
