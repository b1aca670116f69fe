"""/api/v1/sms/inbound: the gateway forwards "MC <code>" texts; the answer goes only to the dossier's phone.

The gateway authenticates with the shared key NOTIFY_INBOUND_SMS_KEY in the `X-Api-Key` header. The reply
is returned as JSON (for gateways that answer the sender themselves) and, unless
NOTIFY_INBOUND_ENQUEUE_REPLY is off, also queued in the outbox as an SMS to the phone on the dossier.
Any other sender, code or text gets the same generic reply, which reveals nothing.
"""

from __future__ import annotations

import hmac

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema

from motcua.api.errors import ErrorOut
from motcua.core.errors import DomainError
from motcua.notify import conf
from motcua.notify.services import answer_lookup

router = Router(tags=["sms"])


class GatewayKeyInvalid(DomainError):
    code = "invalid_gateway_key"
    status = 401


def _check_key(key: str) -> None:
    """Accept only the shared key; with none configured the endpoint refuses everyone."""
    expected = conf.get().inbound_sms_key
    if not (expected and key and hmac.compare_digest(key.encode(), expected.encode())):
        raise GatewayKeyInvalid(_("The SMS gateway key is not valid."))


class InboundSmsIn(Schema):
    sender: str = Field(alias="from", max_length=40, examples=["+84912345678"])
    text: str = Field(max_length=1600, examples=["MC H42.50.01-251103-010001"])
    id: str = Field(
        "",
        max_length=100,
        description="The gateway's id of the incoming message; a repeated callback queues no second reply.",
    )


class InboundSmsOut(Schema):
    reply: str = Field(
        examples=["Hồ sơ H42.50.01-251103-010001: Đang giải quyết. Hẹn trả kết quả: 09:00 06/11/2025."]
    )


@router.post(
    "/inbound",
    response={200: InboundSmsOut, 401: ErrorOut, 422: ErrorOut},
    summary="Answer an SMS look-up (MC <dossier code>)",
)
def inbound_sms(
    request: HttpRequest,
    payload: InboundSmsIn,
    api_key: str = Header("", alias="X-Api-Key", description="The shared key NOTIFY_INBOUND_SMS_KEY."),
) -> dict[str, str]:
    # A header parameter rather than a security scheme: the key belongs to the gateway, not to a user.
    _check_key(api_key)
    return {"reply": answer_lookup(sender=payload.sender, text=payload.text, message_id=payload.id)}
