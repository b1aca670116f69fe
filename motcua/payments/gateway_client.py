"""MotCua's calls to the payment gateway, server to server: the status query and the refund request.

One JSON POST each, signed as every message of the protocol (gateway.py), answered by one signed JSON
object. The demo gateway (DEBUG only) answers inside the process, as a real one would over HTTP.
Whatever goes wrong on the way (no connection, a timeout, an HTTP error, no JSON) is
`GatewayUnavailable`: the caller changes nothing, and may ask again.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.payments.conf import PaymentConf

logger = logging.getLogger("motcua.payments.gateway")

QUERY, REFUND = "query", "refund"
MAX_ANSWER = 64 * 1024  # an answer is a few hundred bytes; more is not a gateway talking


class GatewayUnavailable(DomainError):
    """The gateway could not be reached or did not answer in the protocol: nothing was changed."""

    code = "gateway_unavailable"
    status = 502


def exchange(kind: str, fields: Mapping[str, str], conf: PaymentConf) -> dict[str, Any]:
    """Send a signed query or refund request; return the gateway's answer, not yet verified."""
    if conf.gateway == "demo":
        from motcua.payments import demo_answers  # only ever imported with DEBUG on

        return demo_answers.answer(kind, fields, conf)
    url = conf.query_url if kind == QUERY else conf.refund_url
    request = urllib.request.Request(
        url,
        data=json.dumps(dict(fields)).encode(),
        headers={"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"},
        method="POST",
    )
    order_id = fields.get("order_id", "")
    try:
        with urllib.request.urlopen(request, timeout=conf.timeout) as answer:
            raw = answer.read(MAX_ANSWER + 1)
    except urllib.error.HTTPError as refused:
        logger.warning("payment gateway %s %s: HTTP %s", kind, order_id, refused.code)
        raise GatewayUnavailable(
            _("The payment gateway refused the request (HTTP %(status)s); nothing was changed.")
            % {"status": refused.code},
            fields={"http_status": refused.code},
        ) from None
    except (OSError, ValueError) as failed:  # no route, refused connection, timeout, bad URL
        logger.warning("payment gateway %s %s: %s", kind, order_id, failed)
        raise GatewayUnavailable(
            _("The payment gateway did not answer in time; nothing was changed. Try again later.")
        ) from None
    try:
        body = json.loads(raw) if len(raw) <= MAX_ANSWER else None
    except ValueError:
        body = None
    if not isinstance(body, dict):
        logger.warning("payment gateway %s %s: the answer is not a JSON object", kind, order_id)
        raise GatewayUnavailable(_("The payment gateway's answer could not be read; nothing was changed."))
    return body
