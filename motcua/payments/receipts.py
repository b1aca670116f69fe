"""Build the e-receipt of a payment and the statement of a desk's day, then render them (payments/pdf.py).

A receipt signed with the collecting agency's seal (services/receipt_signing.py) is served as stored;
one not signed yet is rendered from the payment's own data, so it prints the same either way.
"""

from __future__ import annotations

import logging

from motcua.dossiers.forms import issuer_for_agency
from motcua.dossiers.pdf.data import Issuer
from motcua.payments import pdf
from motcua.payments.conf import payment_conf
from motcua.payments.models import Payment
from motcua.payments.selectors import Day, Total, officer_name, refunder_name

logger = logging.getLogger("motcua.payments.receipts")


def receipt_data(payment: Payment) -> pdf.Receipt:
    assert payment.receipt_number is not None and payment.paid_at is not None
    dossier = payment.dossier
    return pdf.Receipt(
        issuer=issuer_for_agency(payment.agency),
        form=payment_conf().receipt_form,
        symbol=payment.receipt_symbol,
        number=payment.receipt_number,
        paid_at=payment.paid_at,
        payer_name=payment.payer_name,
        payer_address=dossier.applicant_snapshot.get("address", ""),
        dossier_code=dossier.code,
        procedure_name=dossier.procedure_version.name,
        method=payment.method,
        lines=[
            pdf.ReceiptLine(name=line["name"], amount_vnd=int(line["amount_vnd"])) for line in payment.lines
        ],
        amount_vnd=payment.amount_vnd,
        collector_name=officer_name(payment),
        reference=payment.reference,
    )


def render_receipt(payment: Payment) -> bytes:
    return pdf.render_receipt(receipt_data(payment))


def receipt_name(payment: Payment) -> str:
    return f"bien-lai-{payment.receipt_symbol}-{payment.receipt_number:07d}.pdf"


def receipt_pdf(payment: Payment) -> bytes:
    """The e-receipt to download: the signed one when there is one, else rendered now (unsigned)."""
    signed = payment.receipt_file
    if signed is not None:
        try:
            with signed.file.open("rb") as stored:
                return bytes(stored.read())
        except FileNotFoundError:
            # The row says it was signed; the storage lost the bytes. The payer still gets her receipt.
            logger.error("signed e-receipt %s missing from the storage", payment.receipt)
    return render_receipt(payment)


def _triples(totals: list[Total]) -> list[tuple[str, int, int]]:
    return [(t.label, t.count, t.amount_vnd) for t in totals]


def day_statement(day: Day, *, issuer: Issuer, scope_label: str) -> pdf.DayStatement:
    rows = [
        pdf.DayRow(
            at=p.paid_at,
            # An overpayment has no receipt: it was received for nothing due, and is given back.
            receipt=p.receipt or "Nộp thừa",
            dossier_code=p.dossier.code,
            payer_name=p.payer_name,
            method=p.method,
            collector=officer_name(p),
            amount_vnd=p.amount_vnd,
        )
        for p in [*day.payments, *day.overpayments]
        if p.paid_at is not None
    ]
    rows += [
        pdf.DayRow(
            at=r.refunded_at,
            receipt="Hoàn trả",
            dossier_code=r.dossier.code,
            payer_name=r.dossier.applicant_snapshot.get("name", ""),
            method=r.method,
            collector=refunder_name(r),
            amount_vnd=-r.amount_vnd,
        )
        for r in day.refunds
    ]
    return pdf.DayStatement(
        issuer=issuer,
        day=day.day,
        scope_label=scope_label,
        rows=sorted(rows, key=lambda row: row.at),
        by_method=_triples(day.by_method),
        by_officer=_triples(day.by_officer),
        by_line=_triples(day.by_line),
        collected_vnd=day.collected_vnd,
        refunded_vnd=day.refunded_vnd,
        overpaid_vnd=day.overpaid_vnd,
    )
