"""Thin Celery wrappers around survey services."""

from __future__ import annotations

from celery import shared_task

from surveys.services import deployment_send_invitations


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def send_survey_invitations(deployment_id: int) -> int:
    """E-mail the survey link to every reached member with an address; returns how many."""
    return deployment_send_invitations(deployment_id=deployment_id)
