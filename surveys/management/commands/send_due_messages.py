"""``manage.py send_due_messages``: what Celery beat does, for a server without Redis.

Run it from cron every five minutes::

    */5 * * * * cd /srv/portal && .venv/bin/python manage.py send_due_messages

It sends the invitations of surveys that have opened, the reminders of surveys about
to close, and retries text messages the SMS gateway refused. Safe to run twice.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from portal.sms import sms_retry_due
from surveys.services import survey_messages_send_due


class Command(BaseCommand):
    help = "Send due survey invitations and reminders, and retry queued SMS (for cron)."

    def handle(self, *args: object, **options: object) -> None:
        result = survey_messages_send_due()
        retried = sms_retry_due()
        self.stdout.write(
            f"invitations sent: {result['sent']}, reminders sent: {result['reminded']}, SMS retried and sent: {retried}"
        )
