"""Letters to the applicant while the dossier is handled: the apology and the stop notice."""

from __future__ import annotations

from fpdf.enums import Align

from motcua.dossiers.pdf import layout
from motcua.dossiers.pdf.data import DEFAULT_CODES, Apology, FormCodes, FormName, StopNotice
from motcua.dossiers.pdf.dates import format_day, format_moment
from motcua.dossiers.pdf.document import FormPDF


def addressee(pdf: FormPDF, name: str) -> None:
    """Write "Kính gửi: …" centred, as letters open."""
    layout.text(pdf, f"Kính gửi: {name}", align=Align.C)
    layout.gap(pdf, 0.3)


def render_apology(apology: Apology, *, codes: FormCodes = DEFAULT_CODES) -> bytes:
    """Render the apology of the agency at fault, with the new appointment."""
    pdf = layout.begin(
        FormName.APOLOGY, codes, apology.issuer, dated=apology.issued_at, number=apology.number
    )
    agency = apology.issuer.name
    addressee(pdf, apology.applicant.name)
    layout.prose(
        pdf,
        f"Vào lúc {format_moment(apology.received_at)}, {agency} tiếp nhận hồ sơ đề nghị giải quyết "
        f"thủ tục {apology.procedure_name} của Ông/Bà; mã hồ sơ: {apology.dossier_code}.",
    )
    layout.prose(
        pdf, f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {format_moment(apology.previous_due_at)}."
    )
    layout.prose(
        pdf,
        f"Tuy nhiên, đến nay {agency} chưa trả kết quả giải quyết hồ sơ cho Ông/Bà đúng hẹn. "
        f"Lý do: {apology.reason.rstrip('.')}.",
    )
    layout.prose(
        pdf,
        f"Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà. {agency} trân trọng "
        "xin lỗi Ông/Bà và hẹn trả kết quả giải quyết hồ sơ vào lúc "
        f"{format_moment(apology.new_due_at)}.",
    )
    layout.prose(pdf, "Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./.")
    layout.recipients_and_signer(pdf, apology.recipients, apology.signer)
    return pdf.finish()


def render_stop_notice(notice: StopNotice, *, codes: FormCodes = DEFAULT_CODES) -> bytes:
    """Render the notice that handling stops at the applicant's request."""
    pdf = layout.begin(
        FormName.STOP_NOTICE,
        codes,
        notice.issuer,
        dated=notice.issued_at,
        number=notice.number,
        subtitle="(Theo yêu cầu của tổ chức, cá nhân)",
    )
    agency = notice.issuer.name
    addressee(pdf, notice.applicant.name)
    layout.prose(
        pdf,
        f"Ngày {format_day(notice.requested_at)}, {agency} nhận được đề nghị dừng giải quyết hồ sơ "
        "của Ông/Bà, cụ thể như sau:",
    )
    layout.field(pdf, "- Mã hồ sơ", notice.dossier_code, strong=True)
    layout.field(pdf, "- Nội dung yêu cầu giải quyết", notice.procedure_name)
    if notice.received_at is not None:
        layout.field(pdf, "- Thời gian tiếp nhận hồ sơ", format_moment(notice.received_at))
    layout.field(pdf, "- Lý do đề nghị dừng", notice.reason)
    # Decree 61/2018 as amended: handling stops on request only while no result exists yet.
    layout.prose(
        pdf,
        f"Do hồ sơ chưa có kết quả giải quyết, {agency} thông báo dừng giải quyết hồ sơ nêu trên "
        f"kể từ ngày {format_day(notice.issued_at)}.",
    )
    if notice.return_place:
        layout.prose(pdf, f"Ông/Bà nhận lại hồ sơ đã nộp (nếu có) tại: {notice.return_place}.")
    layout.prose(pdf, "Xin thông báo để Ông/Bà được biết./.")
    layout.recipients_and_signer(pdf, notice.recipients, notice.signer)
    return pdf.finish()
