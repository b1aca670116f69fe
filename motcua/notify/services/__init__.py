"""Writes of the notify app: queue messages, deliver them, watch deadlines, answer SMS look-ups."""

from motcua.notify.services.delivery import DeliveryReport, deliver_due, recover_expired, retry_now
from motcua.notify.services.direct import send_direct_sms
from motcua.notify.services.inbound import answer_lookup
from motcua.notify.services.outbox import Draft, idempotency_key, queue
from motcua.notify.services.preferences import set_contact_preference
from motcua.notify.services.watch import WatchReport, run_watch

__all__ = [
    "DeliveryReport",
    "Draft",
    "WatchReport",
    "answer_lookup",
    "deliver_due",
    "idempotency_key",
    "queue",
    "recover_expired",
    "retry_now",
    "run_watch",
    "send_direct_sms",
    "set_contact_preference",
]
