"""Schemas of /api/v1/payments (motcua/api/payments.py): explicit input and output, never models."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict

CODE = "H42.50.01-251103-010001"


class FeeLineOut(Schema):
    position: int = Field(examples=[1])
    kind: str = Field(description="fee (phí) or charge (lệ phí).", examples=["charge"])
    name: str = Field(examples=["Lệ phí đăng ký doanh nghiệp"])
    amount_vnd: int = Field(examples=[50000])


class PaymentOut(Schema):
    method: str = Field(description="cash, transfer, card or online.", examples=["cash"])
    status: str = Field(
        description="paid; online orders also pending, failed or overpaid (confirmed after the fees were "
        "settled otherwise: no receipt, refunded through the gateway).",
        examples=["paid"],
    )
    amount_vnd: int = Field(examples=[150000])
    payer_name: str = Field(examples=["Trần Văn Bình"])
    paid_at: dt.datetime | None = Field(examples=["2025-11-03T09:05:00+07:00"])
    collected_by: str = Field(examples=["Lê Thị Lan"])
    receipt: str = Field(description="Symbol and number of the e-receipt.", examples=["BL-25E 0000001"])
    receipt_symbol: str = Field(examples=["BL-25E"])
    receipt_number: int | None = Field(examples=[1])
    receipt_signed_at: dt.datetime | None = Field(
        description="When the e-receipt was signed with the collecting agency's seal; null while it is not "
        "(the PDF is then rendered unsigned).",
        examples=["2025-11-03T09:05:02+07:00"],
    )
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


class RefundRequestOut(Schema):
    refund_id: str = Field(
        description="Sent again unchanged until the gateway answers.", examples=["9f1c…-1"]
    )
    amount_vnd: int = Field(examples=[150000])
    overpayment: bool = Field(description="Money confirmed after the fees were settled, given back.")
    status: str = Field(
        description="pending, refunded or failed (refused by the gateway).", examples=["pending"]
    )
    attempts: int = Field(description="Times sent to the gateway.", examples=[1])
    last_attempt_at: dt.datetime | None
    last_error: str = Field(
        description="Why the last attempt did not end it.", examples=["gateway_unavailable"]
    )
    message: str = Field(description="The gateway's reason for a refusal.", examples=[""])
    needs_attention: bool = Field(
        description="No longer sent by the sweeper (MOTCUA_PAYMENT_REFUND_ATTEMPTS reached) or an "
        "overpayment the gateway refused: the desk sends it again or settles it otherwise."
    )
    requested_at: dt.datetime


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
    refund_requests: list[RefundRequestOut] = Field(
        description="Refunds asked of the gateway, confirmed or not (the confirmed ones are also refunds)."
    )


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
    status: str = Field(
        description="The order's status now: paid, failed, pending, or overpaid (paid after the fees "
        "were settled otherwise: recorded, and refunded through the gateway).",
        examples=["paid"],
    )
    receipt: str = Field(examples=["BL-25E 0000002"])
