"""/api/v1/payments: fees due and paid on a dossier, online payment and the gateway's confirmation.

Staff (bearer token or session): a dossier's fees, and one POST per action (collect at the counter,
exempt or reduce, refund), each with an `Idempotency-Key` like the dossier writes. The applicant (her
account) or whoever holds the receipt's look-up secret starts an online payment and gets the gateway's
address. The gateway posts its signed notices to `/callback` (docs/payments.md); no account, the
signature is the proof.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from motcua.api.auth import STAFF_OR_SESSION
from motcua.api.errors import ErrorOut
from motcua.api.feedback_ratings import account
from motcua.api.idempotency import idempotent
from motcua.api.lookup import too_many
from motcua.core.errors import NotFound
from motcua.core.models import User
from motcua.dossiers import access
from motcua.dossiers.lookup import LookupLimiter, client_ip
from motcua.dossiers.models import Dossier
from motcua.payments import gateway, services
from motcua.payments.models import FeeExemption, Payment, Refund
from motcua.payments.receipts import render_receipt
from motcua.payments.selectors import Fees, fees_of, officer_name, receipt_not_found, receipt_of

router = Router(tags=["payments"])

CODE = "H42.50.01-251103-010001"
READ: dict[int, type] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# ---- Schemas ------------------------------------------------------------------------------------


class FeeLineOut(Schema):
    position: int = Field(examples=[1])
    kind: str = Field(description="fee (phí) or charge (lệ phí).", examples=["charge"])
    name: str = Field(examples=["Lệ phí đăng ký doanh nghiệp"])
    amount_vnd: int = Field(examples=[50000])


class PaymentOut(Schema):
    method: str = Field(description="cash, transfer, card or online.", examples=["cash"])
    status: str = Field(description="paid; online orders also pending or failed.", examples=["paid"])
    amount_vnd: int = Field(examples=[150000])
    payer_name: str = Field(examples=["Trần Văn Bình"])
    paid_at: dt.datetime | None = Field(examples=["2025-11-03T09:05:00+07:00"])
    collected_by: str = Field(examples=["Lê Thị Lan"])
    receipt: str = Field(description="Symbol and number of the e-receipt.", examples=["BL-25E 0000001"])
    receipt_symbol: str = Field(examples=["BL-25E"])
    receipt_number: int | None = Field(examples=[1])
    reference: str = Field(description="Transfer, card slip or gateway transaction id.", examples=[""])
    lines: list[FeeLineOut]


class ExemptionOut(Schema):
    amount_vnd: int = Field(examples=[20000])
    reason: str = Field(examples=["Người khuyết tật"])
    legal_basis: str = Field(examples=["Thông tư số 75/2022/TT-BTC, Điều 5"])
    decided_by: str = Field(examples=["Tạ Văn Nam"])
    decided_at: dt.datetime


class RefundOut(Schema):
    amount_vnd: int = Field(examples=[150000])
    method: str = Field(description="cash, transfer or gateway.", examples=["cash"])
    reference: str = Field(description="The gateway's refund transaction id (gateway only).", examples=[""])
    reason: str = Field(examples=["Hồ sơ bị từ chối trước khi giải quyết"])
    refunded_by: str = Field(examples=["Lê Thị Lan"])
    refunded_at: dt.datetime


class FeesOut(Schema):
    dossier: str = Field(examples=[CODE])
    version: int = Field(description="The dossier's version, for expected_version.", examples=[3])
    due_vnd: int = Field(examples=[150000])
    paid_vnd: int = Field(examples=[0])
    exempted_vnd: int = Field(examples=[0])
    refunded_vnd: int = Field(examples=[0])
    balance_vnd: int = Field(description="Still to pay or exempt.", examples=[150000])
    settled: bool = Field(description="Paid or exempted in full: the result may be handed over.")
    lines: list[FeeLineOut]
    payments: list[PaymentOut]
    exemptions: list[ExemptionOut]
    refunds: list[RefundOut]


class CollectIn(Schema):
    method: str = Field(description="cash, transfer or card.", examples=["cash"])
    amount_vnd: int | None = Field(
        None, description="Empty: what is still due (a part only where the province allows it)."
    )
    payer_name: str = Field("", max_length=255, description="Empty: the applicant.", examples=[""])
    reference: str = Field("", max_length=100, examples=[""])
    expected_version: int | None = Field(None, examples=[3])


class ExemptIn(Schema):
    amount_vnd: int | None = Field(None, description="Empty: all that is still due.")
    reason: str = Field(max_length=2000, examples=["Người khuyết tật"])
    legal_basis: str = Field(max_length=500, examples=["Thông tư số 75/2022/TT-BTC, Điều 5"])
    expected_version: int | None = Field(None, examples=[3])


class RefundIn(Schema):
    amount_vnd: int | None = Field(None, description="Empty: all that was paid.")
    method: str = Field("cash", description="cash or transfer.", examples=["cash"])
    reason: str = Field(max_length=2000, examples=["Hồ sơ bị từ chối trước khi giải quyết"])
    expected_version: int | None = Field(None, examples=[3])


class GatewayRefundIn(Schema):
    amount_vnd: int | None = Field(None, description="Empty: all paid online that may be refunded.")
    reason: str = Field(max_length=2000, examples=["Hồ sơ bị từ chối trước khi giải quyết"])
    expected_version: int | None = Field(None, examples=[3])


class OnlineIn(Schema):
    secret: str = Field(
        "", max_length=32, description="The receipt's look-up secret; not needed by the applicant's account."
    )


class OrderOut(Schema):
    order_id: str = Field(examples=["9f1c4e2a7b6d40c3a1e5f0b2c8d9e7a6"])
    amount_vnd: int = Field(examples=[10000])
    pay_url: str = Field(description="Send the payer's browser here (the gateway, with the signed request).")
    expires_at: dt.datetime


class NoticeIn(Schema):
    """The gateway's signed notice; every field it sends is covered by the signature."""

    model_config = ConfigDict(extra="allow")

    version: str | int = Field(examples=["1"])
    merchant: str = Field(examples=["MOTCUA"])
    order_id: str = Field(examples=["9f1c4e2a7b6d40c3a1e5f0b2c8d9e7a6"])
    transaction_id: str = Field("", examples=["GW20251103090512"])
    amount: str | int = Field(examples=[10000])
    status: str = Field(description="paid, failed or cancelled.", examples=["paid"])
    timestamp: str | int = Field(
        description="Unix seconds when this delivery was signed.", examples=[1762135512]
    )
    signature: str = Field(description="Hex HMAC-SHA256 of the other fields (docs/payments.md).")


class NoticeOut(Schema):
    result: str = Field(
        description="recorded, repeated (nothing changed) or, asking the gateway, pending (still open).",
        examples=["recorded"],
    )
    order_id: str
    status: str = Field(description="The order's status now.", examples=["paid"])
    receipt: str = Field(examples=["BL-25E 0000002"])


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


def _fees(dossier: Dossier, fees: Fees | None) -> FeesOut:
    if fees is None:
        return FeesOut(
            dossier=dossier.code, version=dossier.version, due_vnd=0, paid_vnd=0, exempted_vnd=0,
            refunded_vnd=0, balance_vnd=0, settled=True, lines=[], payments=[], exemptions=[], refunds=[],
        )  # fmt: skip
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
    openapi_extra={
        "responses": {
            "200": {
                "description": "The e-receipt with the amount in digits and in words.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def receipt_pdf(request: HttpRequest, code: str, symbol: str, number: int) -> HttpResponse:
    payment = receipt_of(_visible(request, code), symbol, number)
    if payment is None:
        raise receipt_not_found()
    response = HttpResponse(render_receipt(payment), content_type="application/pdf")
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
