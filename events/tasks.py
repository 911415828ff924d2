"""Thin Celery wrappers around event services (ids in, loaded inside)."""

from __future__ import annotations

from celery import shared_task

from events import services


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def send_invitation_emails(invitation_ids: list[int], base_url: str = "") -> int:
    """E-mail personal invitation links; safe to run twice (``emailed_at``). Links are
    built from SITE_URL; ``base_url`` is ignored (kept for tasks queued before)."""
    return services.invitation_send_emails(invitation_ids=invitation_ids)
