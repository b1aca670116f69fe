"""Build the seven official forms of a dossier from its rows and render them to PDF."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from motcua.core.errors import NotFound
from motcua.core.links import public_url
from motcua.dossiers import pdf
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Delivery, Dossier, DossierEvent, RequestStage, StepStatus
from motcua.org.models import Agency, ServicePoint
from motcua.org.selectors import unit_ancestors

FORM_LABELS = {
    "original": "Bản chính",
    "copy": "Bản sao",
    "certified_copy": "Bản sao có chứng thực",
    "original_or_copy": "Bản chính hoặc bản sao",
    "shown": "Bản chính (xuất trình)",
}
DELIVERY_LABELS = {
    Delivery.COUNTER: "Trực tiếp",
    Delivery.POST: "Bưu chính công ích",
    Delivery.ONLINE: "Trực tuyến",
}
# Which forms exist for a dossier, by what has happened to it.
AVAILABLE_WHEN = {
    pdf.FormName.RECEIPT: lambda d: d.received_at is not None,
    pdf.FormName.SUPPLEMENT_REQUEST: lambda d: d.supplement_requests.exists(),
    pdf.FormName.REFUSAL: lambda d: d.status == Status.REFUSED,
    pdf.FormName.APOLOGY: lambda d: hasattr(d, "apology"),
    pdf.FormName.STOP_NOTICE: lambda d: d.status == Status.STOPPED,
    pdf.FormName.CONTROL_SHEET: lambda d: d.received_at is not None,
}


def lookup_url(dossier: Dossier) -> str:
    """Return the public look-up address printed as the receipt's QR code."""
    return public_url(f"/tra-cuu/{dossier.code}?secret={dossier.lookup_secret}")


def issuer_for_point(point: ServicePoint) -> pdf.Issuer:
    """The heading of a paper a service point issues: the point under its unit's People's Committee."""
    chain = unit_ancestors(point.unit)
    province = chain[-1]
    place = province.name.removeprefix("Tỉnh ").removeprefix("Thành phố ")
    return pdf.Issuer(name=point.name, parent_name=f"Ủy ban nhân dân {chain[0].name}", place=place)


def issuer_for_agency(agency: Agency) -> pdf.Issuer:
    """The heading of a paper an agency issues: the agency under its parent body."""
    chain = unit_ancestors(agency.unit)
    place = chain[-1].name.removeprefix("Tỉnh ").removeprefix("Thành phố ")
    parent = agency.parent.name if agency.parent_id and agency.parent else ""
    return pdf.Issuer(name=agency.name, parent_name=parent, place=place)


def _party(dossier: Dossier) -> pdf.Party:
    s = dossier.applicant_snapshot
    return pdf.Party(
        name=s.get("name", ""),
        id_number=s.get("id_number", ""),
        address=s.get("address", ""),
        phone=s.get("phone", ""),
        email=s.get("email", ""),
    )


def _representative(dossier: Dossier) -> pdf.Party | None:
    rep = dossier.representative or {}
    if not rep.get("name"):
        return None
    return pdf.Party(name=rep["name"], id_number=rep.get("id_number", ""), phone=rep.get("phone", ""))


def _officer(dossier: Dossier) -> str:
    user = dossier.received_by
    return (user.full_name or user.get_username()) if user else ""


def _event(dossier: Dossier, action: str) -> DossierEvent:
    event = dossier.events.filter(action=action).order_by("-at", "-id").first()
    if event is None:
        raise NotFound(gettext("This dossier has no such form yet."), code="form_not_available")
    return event


def receipt(dossier: Dossier) -> pdf.ReceiptSlip:
    if dossier.received_at is None or dossier.due_at is None:
        raise NotFound(gettext("The dossier has not been received yet."), code="form_not_available")
    version = dossier.procedure_version
    documents = [
        pdf.ReceivedDocument(name=d.name, form_label=FORM_LABELS.get(d.form, ""), copies=d.copies)
        for d in dossier.documents.filter(provided=True).order_by("position")
    ]
    point = dossier.receiving_point
    return_place = {
        Delivery.COUNTER: f"{point.name}. {point.address}".strip(". "),
        Delivery.POST: f"Qua dịch vụ bưu chính công ích đến: {dossier.delivery_address}",
        Delivery.ONLINE: "Trực tuyến, vào kho dữ liệu của người nộp trên Cổng dịch vụ công",
    }[Delivery(dossier.delivery)]
    return pdf.ReceiptSlip(
        issuer=issuer_for_point(point),
        dossier_code=dossier.code,
        procedure_name=version.name,
        applicant=_party(dossier),
        representative=_representative(dossier),
        received_at=dossier.received_at,
        due_at=dossier.original_due_at or dossier.due_at,
        second_due_at=dossier.second_due_at,
        documents=documents,
        sets=dossier.sets,
        time_limit=version.time_limit_text,
        return_place=return_place,
        book_number=dossier.book_number,
        officer_name=_officer(dossier),
        lookup_url=lookup_url(dossier),
    )


def supplement_request(dossier: Dossier) -> pdf.SupplementRequest:
    request = (
        dossier.supplement_requests.order_by("-requested_at").select_related("requested_by", "agency").first()
    )
    if request is None:
        raise NotFound(gettext("The dossier has no supplement request."), code="form_not_available")
    issuer = (
        issuer_for_point(dossier.receiving_point)
        if request.stage == RequestStage.INTAKE
        else issuer_for_agency(request.agency)
    )
    officer = request.requested_by
    return pdf.SupplementRequest(
        issuer=issuer,
        procedure_name=dossier.procedure_version.name,
        applicant=_party(dossier),
        requested_at=request.requested_at,
        items=[pdf.SupplementItem(name=i["name"], reason=i["reason"]) for i in request.items],
        dossier_code=dossier.code,
        received_at=dossier.received_at,
        deadline=request.deadline,
        contact_name=officer.full_name or officer.get_username(),
        contact_phone=officer.phone or request.agency.phone,
        officer_name=officer.full_name or officer.get_username(),
    )


def refusal(dossier: Dossier) -> pdf.Refusal:
    event = dossier.events.filter(action__in=[Action.REFUSE_INTAKE, Action.REFUSE]).order_by("-at").first()
    if event is None:
        raise NotFound(gettext("The dossier was not refused."), code="form_not_available")
    issuer = issuer_for_agency(event.agency) if event.action == Action.REFUSE and event.agency else None
    return pdf.Refusal(
        issuer=issuer or issuer_for_point(dossier.receiving_point),
        procedure_name=dossier.procedure_version.name,
        applicant=_party(dossier),
        issued_at=event.at,
        reasons=[line.strip() for line in event.comment.splitlines() if line.strip()],
        dossier_code=dossier.code,
        officer_name=event.actor_name,
    )


def apology(dossier: Dossier) -> pdf.Apology:
    row = getattr(dossier, "apology", None)
    if row is None or dossier.received_at is None:
        raise NotFound(gettext("The dossier has no apology letter."), code="form_not_available")
    return pdf.Apology(
        issuer=issuer_for_agency(row.agency),
        applicant=_party(dossier),
        dossier_code=dossier.code,
        procedure_name=dossier.procedure_version.name,
        received_at=dossier.received_at,
        previous_due_at=row.previous_due_at,
        new_due_at=row.new_due_at,
        reason=row.reason,
        issued_at=row.issued_at,
        signer=pdf.Signer(title=row.signer_title or "Thủ trưởng cơ quan", name=row.signer_name),
        recipients=[f"Ông/Bà {_party(dossier).name}", "Lưu: VT"],
    )


def stop_notice(dossier: Dossier) -> pdf.StopNotice:
    event = _event(dossier, Action.STOP)
    return pdf.StopNotice(
        issuer=issuer_for_point(dossier.receiving_point),
        applicant=_party(dossier),
        dossier_code=dossier.code,
        procedure_name=dossier.procedure_version.name,
        requested_at=event.at,
        issued_at=event.at,
        signer=pdf.Signer(title="Người tiếp nhận", name=event.actor_name),
        reason=event.comment,
        received_at=dossier.received_at,
        return_place=dossier.receiving_point.name,
        recipients=[f"Ông/Bà {_party(dossier).name}", "Lưu: VT"],
    )


def control_sheet(dossier: Dossier) -> pdf.ControlSheet:
    """One row per hand-over: each finished step hands the dossier to whoever holds the next one."""
    if dossier.received_at is None or dossier.due_at is None:
        raise NotFound(gettext("The dossier has not been received yet."), code="form_not_available")
    steps = list(
        dossier.steps.select_related("agency", "completed_by").order_by("completed_at", "stage", "position")
    )
    rows = []
    for step in steps:
        if step.completed_at is None or step.status not in (StepStatus.DONE, StepStatus.RETURNED):
            continue
        handed = step.completed_at
        later = sorted(
            (s for s in steps if s is not step and s.started_at is not None and s.started_at >= handed),
            key=lambda s: s.started_at or handed,
        )
        # Parallel branches open together: the dossier goes to every agency of the next stage at once.
        receivers = [s for s in later if s.started_at == later[0].started_at] if later else []
        person = step.completed_by
        rows.append(
            pdf.ControlRow(
                from_unit=step.agency.name,
                from_person=(person.full_name or person.get_username()) if person else "",
                to_unit="; ".join(dict.fromkeys(r.agency.name for r in receivers)) or "Người nộp hồ sơ",
                handed_at=step.completed_at,
                outcome=pdf.Outcome(step.outcome) if step.outcome else None,
                note=step.comment if step.status == StepStatus.DONE else f"Trả lại: {step.comment}",
            )
        )
    return pdf.ControlSheet(
        issuer=issuer_for_point(dossier.receiving_point),
        dossier_code=dossier.code,
        procedure_name=dossier.procedure_version.name,
        applicant=_party(dossier),
        received_at=dossier.received_at,
        due_at=dossier.original_due_at or dossier.due_at,
        rows=rows,
    )


BUILDERS: dict[str, Any] = {
    pdf.FormName.RECEIPT: receipt,
    pdf.FormName.SUPPLEMENT_REQUEST: supplement_request,
    pdf.FormName.REFUSAL: refusal,
    pdf.FormName.APOLOGY: apology,
    pdf.FormName.STOP_NOTICE: stop_notice,
    pdf.FormName.CONTROL_SHEET: control_sheet,
}


def available_forms(dossier: Dossier) -> list[str]:
    return [str(name) for name, ready in AVAILABLE_WHEN.items() if ready(dossier)]


def render_form(dossier: Dossier, form_name: str) -> bytes:
    """Render one of the dossier's forms; NotFound when the form does not exist for it (yet)."""
    builder = BUILDERS.get(form_name)
    if builder is None:
        raise NotFound(gettext("There is no form “%(form)s”.") % {"form": form_name}, code="form_not_found")
    return pdf.render(form_name, builder(dossier))


def tracking_book(
    *,
    dossiers: QuerySet[Dossier],
    issuer_point: ServicePoint,
    period_from: dt.date,
    period_to: dt.date,
    field_name: str = "",
) -> bytes:
    """Render the electronic tracking book of received dossiers for a period (form 07)."""
    rows = [
        pdf.BookRow(
            dossier_code=d.code,
            procedure_name=d.procedure_version.name,
            applicant_name=d.applicant_snapshot.get("name", ""),
            lead_agency=d.lead_agency.name,
            received_at=d.received_at,
            due_at=d.original_due_at or d.due_at or d.received_at,
            returned_at=d.finished_at if d.status == Status.RETURNED else None,
            delivery=DELIVERY_LABELS.get(Delivery(d.delivery), ""),
            status=str(Status(d.status).label) if d.status != Status.RETURNED else "",
            outcome=pdf.Outcome(d.outcome) if d.outcome else None,
        )
        for d in dossiers.filter(received_at__isnull=False)
        .select_related("procedure_version", "lead_agency")
        .order_by("received_at", "code")
        if d.received_at is not None
    ]
    book = pdf.TrackingBook(
        issuer=issuer_for_point(issuer_point),
        period_from=period_from,
        period_to=period_to,
        rows=rows,
        field_name=field_name,
    )
    return pdf.render(pdf.FormName.TRACKING_BOOK, book)
