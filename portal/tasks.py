"""Thin Celery wrappers around portal services."""

from __future__ import annotations

from celery import shared_task

from portal.sms import sms_deliver, sms_retry_due


@shared_task(acks_late=True)
def deliver_sms(sms_id: int) -> bool:
    """Send one queued text message; a failure stays queued for :func:`retry_sms`."""
    return sms_deliver(sms_id=sms_id)


@shared_task(acks_late=True)
def retry_sms() -> int:
    """Send again the queued text messages whose next attempt is due."""
    return sms_retry_due()
