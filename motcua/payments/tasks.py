"""The payments app's background tasks (`python manage.py db_worker --queue-name default`)."""

from __future__ import annotations

from django_tasks import task

from motcua.payments.services.receipt_signing import sign_receipt


@task(queue_name="default")
def sign_receipt_task(payment_id: int) -> str:
    """Sign one payment's e-receipt with the collecting agency's seal (once, however often it runs)."""
    return sign_receipt(payment_id).value
