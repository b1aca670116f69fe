"""/api/v1/payments: fees due and paid on a dossier, online payment and the gateway's confirmation.

Staff (bearer token or session): a dossier's fees, and one POST per action (collect at the counter,
exempt or reduce, refund), each with an `Idempotency-Key` like the dossier writes. The applicant (her
account) or whoever holds the receipt's look-up secret starts an online payment and gets the gateway's
address. The gateway posts its signed notices to `/callback` (docs/payments.md); no account, the
signature is the proof.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from motcua.api.auth import STAFF_OR_SESSION
from motcua.api.errors import ErrorOut
from motcua.api.feedback_ratings import account
from motcua.api.idempotency import idempotent
from motcua.api.lookup import too_many
from motcua.api.openapi import binary
from motcua.api.payments_schemas import (
    CollectIn,
    ExemptIn,
    ExemptionOut,
    FeeLineOut,
    FeesOut,
    GatewayRefundIn,
    NoticeIn,
    NoticeOut,
    OnlineIn,
    OrderOut,
    PaymentOut,
    RefundIn,
    RefundOut,
    RefundRequestOut,
)
from motcua.core.errors import NotFound
from motcua.core.models import User
from motcua.dossiers import access
from motcua.dossiers.lookup import LookupLimiter, client_ip
from motcua.dossiers.models import Dossier
from motcua.payments import gateway, services
from motcua.payments.models import FeeExemption, Payment, Refund, RefundRequest
from motcua.payments.receipts import receipt_pdf as receipt_bytes
from motcua.payments.selectors import (
    Fees,
    attention_after,
    fees_of,
    needs_attention,
    officer_name,
    receipt_not_found,
    receipt_of,
)

router = Router(tags=["payments"])

READ: dict[int, type] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# ---- Reading ------------------------------------------------------------------------------------


def _who(user: User | None) -> str:
    return (user.full_name or user.get_username()) if user is not None else ""


def _payment(p: Payment) -> PaymentOut:
    return PaymentOut(
        method=p.method,
        status=p.status,
        amount_vnd=p.amount_vnd,
        payer_name=p.payer_name,
        paid_at=p.paid_at,
        collected_by=officer_name(p),
        receipt=p.receipt,
        receipt_symbol=p.receipt_symbol,
        receipt_number=p.receipt_number,
        receipt_signed_at=p.receipt_signed_at,
        reference=p.reference,
        lines=[FeeLineOut(**line) for line in p.lines],
    )


def _exemption(e: FeeExemption) -> ExemptionOut:
    return ExemptionOut(
        amount_vnd=e.amount_vnd,
        reason=e.reason,
        legal_basis=e.legal_basis,
        decided_by=_who(e.decided_by),
        decided_at=e.decided_at,
    )


def _refund(r: Refund) -> RefundOut:
    return RefundOut(
        amount_vnd=r.amount_vnd,
        method=r.method,
        reference=r.reference,
        reason=r.reason,
        refunded_by=_who(r.refunded_by),
        refunded_at=r.refunded_at,
    )


def _refund_request(r: RefundRequest, attempts: int) -> RefundRequestOut:
    return RefundRequestOut(
        refund_id=r.refund_id,
        amount_vnd=r.amount_vnd,
        overpayment=r.overpayment,
        status=r.status,
        attempts=r.attempts,
        last_attempt_at=r.last_attempt_at,
        last_error=r.last_error,
        message=r.message,
        needs_attention=needs_attention(r, attempts),
        requested_at=r.requested_at,
    )


def _fees(dossier: Dossier, fees: Fees | None) -> FeesOut:
    if fees is None:
        return FeesOut(
            dossier=dossier.code, version=dossier.version, due_vnd=0, paid_vnd=0, exempted_vnd=0,
            refunded_vnd=0, balance_vnd=0, settled=True, lines=[], payments=[], exemptions=[], refunds=[],
            refund_requests=[],
        )  # fmt: skip
    attempts = attention_after()
    return FeesOut(
        dossier=dossier.code,
        version=dossier.version,
        due_vnd=fees.due_vnd,
        paid_vnd=fees.paid_vnd,
        exempted_vnd=fees.exempted_vnd,
        refunded_vnd=fees.refunded_vnd,
        balance_vnd=fees.balance_vnd,
        settled=fees.settled,
        lines=[
            FeeLineOut(position=d.position, kind=d.kind, name=d.name, amount_vnd=d.amount_vnd)
            for d in fees.lines
        ],
        payments=[_payment(p) for p in fees.payments],
        exemptions=[_exemption(e) for e in fees.exemptions],
        refunds=[_refund(r) for r in fees.refunds],
        refund_requests=[_refund_request(r, attempts) for r in fees.refund_requests],
    )


def _visible(request: HttpRequest, code: str) -> Dossier:
    """The dossier when the caller may see it (its staff, the applicant); else 404, as for a missing one."""
    user: User = request.user  # type: ignore[assignment]  # the auth classes let only users in
    dossier = Dossier.objects.select_related("procedure_version").filter(code=code).first()
    if dossier is None or not access.can_see(user, dossier):
        raise access.not_found(code)
    return dossier


@router.get(
    "/dossiers/{code}", response={200: FeesOut, **READ}, auth=STAFF_OR_SESSION, summary="A dossier's fees"
)
def dossier_fees(request: HttpRequest, code: str) -> FeesOut:
    dossier = _visible(request, code)
    return _fees(dossier, fees_of(dossier))


@router.get(
    "/dossiers/{code}/receipts/{symbol}/{number}",
    response=READ,
    auth=STAFF_OR_SESSION,
    summary="An e-receipt, as PDF",
    openapi_extra=binary(
        "The e-receipt with the amount in digits and in words; once signed (`receipt_signed_at`), the PDF "
        "signed with the collecting agency's seal, as stored.",
        "application/pdf",
    ),
)
def receipt_pdf(request: HttpRequest, code: str, symbol: str, number: int) -> HttpResponse:
    payment = receipt_of(_visible(request, code), symbol, number)
    if payment is None:
        raise receipt_not_found()
    response = HttpResponse(receipt_bytes(payment), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{payment.receipt_symbol}-{payment.receipt_number:07d}.pdf"'
    )
    return response


# ---- Staff writes -------------------------------------------------------------------------------


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@router.post(
    "/dossiers/{code}/collect",
    response={201: PaymentOut, **WRITE},
    auth=STAFF_OR_SESSION,
    summary="Collect the fees at the counter and issue the e-receipt",
)
@idempotent
def collect(request: HttpRequest, code: str, body: CollectIn) -> Status:
    payment = services.collect_fee(code=code, actor=_actor(request), **body.model_dump())
    return Status(201, _payment(payment))


@router.post(
    "/dossiers/{code}/exempt",
    response={201: ExemptionOut, **WRITE},
    auth=STAFF_OR_SESSION,
    summary="Exempt or reduce the fees (the handling agency's leaders, the centre's director)",
)
@idempotent
def exempt(request: HttpRequest, code: str, body: ExemptIn) -> Status:
    return Status(201, _exemption(services.exempt_fee(code=code, actor=_actor(request), **body.model_dump())))


@router.post(
    "/dossiers/{code}/refund",
    response={201: RefundOut, **WRITE},
    auth=STAFF_OR_SESSION,
    summary="Refund the fees of a dossier refused or stopped",
)
@idempotent
def refund(request: HttpRequest, code: str, body: RefundIn) -> Status:
    return Status(201, _refund(services.refund_fee(code=code, actor=_actor(request), **body.model_dump())))


GATEWAY_WRITE: dict[int, type] = {**WRITE, 429: ErrorOut, 502: ErrorOut}


@router.post(
    "/dossiers/{code}/refund-online",
    response={201: RefundOut, **GATEWAY_WRITE},
    auth=STAFF_OR_SESSION,
    summary="Refund money paid online through the payment gateway (recorded once the gateway confirms)",
)
@idempotent
def refund_online(request: HttpRequest, code: str, body: GatewayRefundIn) -> Status:
    refund = services.refund_through_gateway(code=code, actor=_actor(request), **body.model_dump())
    return Status(201, _refund(refund))


@router.post(
    "/dossiers/{code}/refund-requests/{refund_id}/resend",
    response={201: RefundOut, **GATEWAY_WRITE},
    auth=STAFF_OR_SESSION,
    summary="Send again a gateway refund still waiting for its answer, or an overpayment's refused",
)
@idempotent
def resend_refund(request: HttpRequest, code: str, refund_id: str) -> Status:
    refund = services.send_refund_again(code=code, actor=_actor(request), refund_id=refund_id)
    return Status(201, _refund(refund))


@router.post(
    "/dossiers/{code}/check-gateway",
    response={200: NoticeOut, **GATEWAY_WRITE},
    auth=STAFF_OR_SESSION,
    summary="Ask the payment gateway about the dossier's online order whose notice never came",
)
@idempotent
def check_gateway(request: HttpRequest, code: str) -> Status:
    result = services.check_with_gateway(code=code, actor=_actor(request))
    payment = result.payment
    out = NoticeOut(
        result=result.outcome, order_id=payment.order_id or "", status=payment.status, receipt=payment.receipt
    )
    return Status(200, out)


# ---- Online payment ------------------------------------------------------------------------------


@router.post(
    "/online/{code}",
    response={201: OrderOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Start an online payment (the applicant, or with the look-up secret)",
)
def start_online(request: HttpRequest, code: str, body: OnlineIn) -> Status | HttpResponse:
    secret = body.secret.strip() or None
    limiter = LookupLimiter.for_request(request, code)
    if secret is not None and limiter.blocked():
        return too_many(limiter.retry_after)
    try:
        order = services.start_online_payment(code=code, actor=account(request), secret=secret)
    except NotFound:
        if secret is not None:
            limiter.fail()
        raise
    payment = order.payment
    assert payment.order_id and payment.expires_at
    out = OrderOut(
        order_id=payment.order_id,
        amount_vnd=payment.amount_vnd,
        pay_url=order.pay_url,
        expires_at=payment.expires_at,
    )
    return Status(201, out)


@router.post(
    "/callback",
    response={200: NoticeOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="The payment gateway's signed notice (server to server)",
)
def callback(request: HttpRequest, body: NoticeIn) -> NoticeOut:
    # The raw JSON, not the parsed schema: the signature covers exactly what the gateway sent.
    fields = gateway.parse_body(request.body)
    result = services.record_notice(fields=fields, source="callback", remote_addr=client_ip(request))
    payment = result.payment
    return NoticeOut(
        result=result.outcome, order_id=payment.order_id or "", status=payment.status, receipt=payment.receipt
    )
