"""Thin Celery wrappers around network services."""

from __future__ import annotations

from celery import shared_task

from networks import services


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def send_task_reminders(within_days: int = 3, link: str = "") -> int:
    """E-mail the assignees of open tasks due within ``within_days``; at most once a day
    per task, so running it twice is harmless."""
    return services.tasks_send_due_reminders(within_days=within_days, link=link)
