"""Sending text messages (SMS): a small backend interface, like Django's e-mail backends.
No SMS gateway is contracted yet: the default backend prints each message.

``settings.SMS_BACKEND`` names the class ("console" and "locmem" are short names for the
first two). Built in:

- ``portal.sms.ConsoleBackend`` prints each message (the default);
- ``portal.sms.FileOutboxBackend`` appends each message as one JSON line to
  ``SMS_OUTBOX_DIR/outbox.jsonl`` (for a demo, or a gateway that picks files up);
- ``portal.sms.MemoryBackend`` keeps messages in ``portal.sms.outbox`` (tests);
- ``portal.sms.HttpGatewayBackend`` POSTs ``{"to": ..., "text": ...}`` as JSON to
  ``SMS_GATEWAY_URL`` with ``Authorization: Bearer SMS_GATEWAY_TOKEN`` — the shape most
  Vietnamese SMS brand-name gateways accept behind a small adapter.

A real gateway plugs in by writing a class with ``send(to, text)`` that raises
:class:`SMSError` on failure, and naming it in ``SMS_BACKEND``.

Messages are queued first (:func:`sms_queue` stores an :class:`OutgoingSMS` row and sends
it after the transaction commits); a failure leaves the row queued with its error for
:func:`sms_retry_due` and for staff to see.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from portal.models import OutgoingSMS

MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=5)  # times the number of attempts so far


class SMSError(Exception):
    """The gateway did not take the message (network error, refusal, bad number)."""


@dataclass(frozen=True)
class SentSMS:
    to: str
    text: str


SmsMessage = SentSMS


class BaseSMSBackend:
    def send(self, to: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleBackend(BaseSMSBackend):
    def send(self, to: str, text: str) -> None:
        sys.stdout.write(f"SMS to {to}: {text}\n")
        sys.stdout.flush()


outbox: list[SentSMS] = []


class MemoryBackend(BaseSMSBackend):
    """Keeps sent messages in :data:`outbox`, as Django's locmem e-mail backend does."""

    def send(self, to: str, text: str) -> None:
        outbox.append(SentSMS(to=to, text=text))


class FailingBackend(BaseSMSBackend):
    """Refuses every message: to see how the portal behaves when the gateway is down."""

    def send(self, to: str, text: str) -> None:
        raise SMSError("The SMS gateway refused the message (FailingBackend).")


class FileOutboxBackend(BaseSMSBackend):
    def send(self, to: str, text: str) -> None:
        folder = Path(settings.SMS_OUTBOX_DIR)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with (folder / "outbox.jsonl").open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"to": to, "text": text, "at": timezone.now().isoformat()}) + "\n")
        except OSError as exc:
            raise SMSError(str(exc)) from exc


class HttpGatewayBackend(BaseSMSBackend):
    def send(self, to: str, text: str) -> None:
        if not settings.SMS_GATEWAY_URL:
            raise SMSError("SMS_GATEWAY_URL is not set.")
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
            settings.SMS_GATEWAY_URL,
            data=json.dumps({"to": to, "text": text}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
                if response.status >= 300:
                    raise SMSError(f"Gateway answered {response.status}.")
        except OSError as exc:
            raise SMSError(str(exc)) from exc


ALIASES = {"console": "portal.sms.ConsoleBackend", "locmem": "portal.sms.MemoryBackend"}


def get_backend() -> BaseSMSBackend:
    name = getattr(settings, "SMS_BACKEND", "console")
    return import_string(ALIASES.get(name, name))()


def sms_queue(
    *, to: str, text: str, purpose: str, province_id: int | None = None, sensitive: bool = False
) -> OutgoingSMS:
    """Store a message for ``to`` (E.164) and send it once the current transaction
    commits (through Celery when Redis is set, in-process otherwise)."""
    sms = OutgoingSMS.objects.create(
        to=to, body=text, purpose=purpose, province_id=province_id, sensitive=sensitive, next_attempt_at=timezone.now()
    )
    from portal.tasks import deliver_sms

    transaction.on_commit(lambda: deliver_sms.delay(sms.pk))
    return sms


def sms_deliver(*, sms_id: int) -> bool:
    """Try to send one queued message; True when it went out. A failure is recorded on
    the row (attempts, error, next attempt) and never raised: the retry job tries again."""
    with transaction.atomic():
        sms = OutgoingSMS.objects.select_for_update().filter(pk=sms_id, status=OutgoingSMS.Status.QUEUED).first()
        if sms is None:
            return False
        sms.attempts += 1
        try:
            get_backend().send(sms.to, sms.body)
        except SMSError as exc:
            sms.last_error = str(exc)[:1000]
            if sms.attempts >= MAX_ATTEMPTS:
                sms.status = OutgoingSMS.Status.FAILED
                sms.next_attempt_at = None
            else:
                sms.next_attempt_at = timezone.now() + RETRY_AFTER * sms.attempts
            sms.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return False
        sms.status = OutgoingSMS.Status.SENT
        sms.sent_at = timezone.now()
        sms.next_attempt_at = None
        sms.last_error = ""
        if sms.sensitive:
            sms.body = "…"
        sms.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error", "body"])
    return True


def sms_retry_due() -> int:
    """Send again every queued message whose next attempt is due; returns how many went out."""
    due = OutgoingSMS.objects.filter(status=OutgoingSMS.Status.QUEUED, next_attempt_at__lte=timezone.now())
    return sum(sms_deliver(sms_id=pk) for pk in due.values_list("pk", flat=True)[:500])


def send_sms(
    recipients: Iterable[str], text: str, *, purpose: str = "announcement", province_id: int | None = None
) -> int:
    """Send ``text`` to each phone number now (announcements); returns how many went out.
    Each message is recorded first, so one the gateway refuses stays queued for retry."""
    sent = 0
    for phone in recipients:
        if not phone:
            continue
        sms = OutgoingSMS.objects.create(
            to=phone, body=text, purpose=purpose, province_id=province_id, next_attempt_at=timezone.now()
        )
        sent += sms_deliver(sms_id=sms.pk)
    return sent
