"""Thin Celery wrappers around members.services (ids in, loaded inside)."""

from __future__ import annotations

from celery import shared_task

from members import services


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def send_membership_invitations(pairs: list[list]) -> int:
    """E-mail membership invitations: ``[[invitation id, personal link], ...]``."""
    return services.invitation_send_emails(pairs=[(int(pk), str(url)) for pk, url in pairs])


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def cleanup_import_previews() -> int:
    """Delete expired import previews and import files older than a day (idempotent)."""
    return services.import_previews_cleanup()


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1900)
def anonymise_past_retention() -> int:
    """Anonymise people never admitted whose retention period is over (idempotent)."""
    return services.retention_anonymise()
