"""Thin Celery wrappers around survey services."""

from __future__ import annotations

from celery import shared_task

from surveys.services import deployment_send_invitations, survey_messages_send_due


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def send_survey_invitations(deployment_id: int) -> int:
    """Send the due invitations of one open deployment; returns how many went out."""
    return deployment_send_invitations(deployment_id=deployment_id)


@shared_task(acks_late=True)
def send_due_survey_messages() -> dict[str, int]:
    """Celery beat, every few minutes: invitations of deployments that opened and
    reminders before closing (``manage.py send_due_messages`` does the same from cron)."""
    return survey_messages_send_due()
