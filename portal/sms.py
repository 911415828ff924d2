"""Sending text messages. No SMS gateway is contracted yet: the default backend writes
each message to the log (like Django's console e-mail backend), tests use the in-memory
outbox. A gateway plugs in as another backend named by ``SMS_BACKEND``."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger("portal.sms")

outbox: list[SmsMessage] = []


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str


def send_sms(recipients: Iterable[str], text: str) -> int:
    """Send ``text`` to each phone number; returns how many were handed to the backend."""
    messages = [SmsMessage(to=phone, text=text) for phone in recipients if phone]
    backend = getattr(settings, "SMS_BACKEND", "console")
    if backend == "locmem":
        outbox.extend(messages)
    else:
        for message in messages:
            logger.info("SMS to %s: %s", message.to, message.text)
    return len(messages)
