"""Demo payments for `load_demo`: one paid at the counter, one waiting to be paid online. Safe to repeat.

Call `load_demo_payments(report)` after the organisation, the catalog and the demo accounts are loaded
(motcua/core/demo.py). The dossiers go through the real services, so their fees are those intake computes;
each is recognised on a repeat by its applicant's demo ID number, so a second load adds nothing.

- At the provincial centre, a sole proprietorship registered at the counter (150.000 đ) and paid in cash:
  its e-receipt and the desk's day (`motcua.tuphap`, `giamdoc.ttpvhcc`).
- At the Thành Sen centre, a permanent residence registration filed online by the demo citizen `congdan`
  and accepted (10.000 đ): she pays it online, through the demo gateway of `make run`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from motcua.dossiers.uploads import Upload
from motcua.org.models import ServicePoint
from motcua.payments import services

if TYPE_CHECKING:
    from motcua.core.demo import DemoReport

# The online filing's declaration: a one-page PDF is enough for the demo.
DECLARATION = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

PAID_AT_COUNTER = dossier_services.ApplicantIn(
    name="Phan Văn Thái",
    id_number="042199000101",
    address="Phường Thành Sen, tỉnh Hà Tĩnh",
    phone="0912000101",
)
TO_PAY_ONLINE = dossier_services.ApplicantIn(
    name="Nguyễn Thị Dân", id_number="042199000102", address="Tổ 5, phường Thành Sen", phone="0987000111"
)


def _existing(applicant: dossier_services.ApplicantIn) -> Dossier | None:
    return Dossier.objects.filter(applicant__id_number=applicant.id_number).first()


def _paid_at_counter(now: dt.datetime) -> str | None:
    officer = get_user_model().objects.get(username="motcua.tuphap")
    dossier = dossier_services.receive_dossier(
        data=dossier_services.IntakeIn(procedure_code="2.001610", applicant=PAID_AT_COUNTER, provided=[0, 1]),
        point=ServicePoint.objects.get(code="ttpvhcc-tinh"),
        actor=officer,
        now=now,
    )
    payment = services.collect_fee(code=dossier.code, actor=officer, method="cash", now=now)
    return f"payments {dossier.code}: {payment.amount_vnd} đ paid in cash, receipt {payment.receipt}"


def _to_pay_online(now: dt.datetime) -> str | None:
    citizen = get_user_model().objects.filter(username="congdan").first()
    if citizen is None:
        return None  # the demo accounts are not loaded: nobody to pay online
    filed = dossier_services.submit_online(
        data=dossier_services.IntakeIn(
            procedure_code="1.004222",
            applicant=TO_PAY_ONLINE,
            provided=[0, 1],
            uploads=[Upload(name="to-khai.pdf", content=DECLARATION, document_position=0)],
        ),
        point=ServicePoint.objects.get(code="ttpvhcc-thanhsen"),
        citizen=citizen,
        now=now,
    )
    officer = get_user_model().objects.get(username="motcua.thanhsen")
    dossier = dossier_services.accept_submission(code=filed.code, actor=officer, now=now)
    return f"payments {dossier.code}: {dossier.fee_due_vnd} đ to pay online (congdan)"


@transaction.atomic
def load_demo_payments(report: DemoReport | None = None, *, now: dt.datetime | None = None) -> list[str]:
    """Create the missing demo dossiers with fees; return one line per item (also added to `report`)."""
    now = now or timezone.now()
    lines = []
    for applicant, make in ((PAID_AT_COUNTER, _paid_at_counter), (TO_PAY_ONLINE, _to_pay_online)):
        found = _existing(applicant)
        if found is not None:
            lines.append(f"payments {found.code}: already there")
            continue
        made = make(now)
        if made is None:
            continue
        lines.append(made)
        if report is not None:
            report.changed = True
    if report is not None:
        report.lines += lines
    return lines
