"""Thin Celery wrappers around members.services."""

from __future__ import annotations

from celery import shared_task

from members.services import import_previews_cleanup


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def cleanup_import_previews() -> int:
    """Delete expired import previews and import files older than a day (idempotent)."""
    return import_previews_cleanup()
