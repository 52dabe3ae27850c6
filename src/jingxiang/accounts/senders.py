"""Who delivers one-time codes: a small protocol and the backends, chosen by ``JINGXIANG_OTP_SENDER``.

The platform runs without an SMS gateway in development and in the demo, so the console backend
prints codes where the person running the server sees them; tests read an in-memory outbox; a
deployment plugs in its provider by naming a class with the same two members (``channels`` and
``send``). The codes service never talks to a provider directly.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from jingxiang.accounts.models import Channel
from jingxiang.identifiers import mask_email, mask_mobile

logger = logging.getLogger("jingxiang.accounts.codes")


@dataclass(frozen=True)
class CodeMessage:
    """One message to deliver. ``text`` already contains the code; ``code`` is there for test outboxes."""

    purpose: str
    channel: str
    destination: str
    subject: str
    text: str
    code: str

    @property
    def masked_destination(self) -> str:
        return (
            mask_email(self.destination) if self.channel == Channel.EMAIL else mask_mobile(self.destination)
        )


class SendError(Exception):
    """The backend could not deliver the message; the text says why, for the log (not for the user)."""


class CodeSender(Protocol):
    """What a backend provides: the channels it can deliver on, and delivery itself."""

    @property
    def channels(self) -> frozenset[str]:
        """The channels it delivers on (a class attribute in the backends)."""

    def send(self, message: CodeMessage) -> None:
        """Deliver ``message`` or raise ``SendError``."""


class ConsoleSender:
    """Development and demo: the message, code included, goes to the server console and the log.

    Logged as a warning so it shows whatever LOG_LEVEL says, and so that a deployment that left this
    backend switched on sees it in its logs (the system check warns about that as well).
    """

    channels = frozenset({Channel.SMS, Channel.EMAIL})

    def send(self, message: CodeMessage) -> None:
        logger.warning(
            "[验证码 one-time code] %s → %s: %s",
            message.channel,
            message.masked_destination,
            message.text,
        )


# The outbox of the test backend, like django.core.mail.outbox; the `otp_outbox` fixture empties it.
outbox: list[CodeMessage] = []


class OutboxSender:
    """Tests: messages are appended to ``outbox`` (or to the list given), nothing leaves the process."""

    channels = frozenset({Channel.SMS, Channel.EMAIL})

    def __init__(self, box: list[CodeMessage] | None = None) -> None:
        self.box = outbox if box is None else box

    def send(self, message: CodeMessage) -> None:
        self.box.append(message)


class EmailSender:
    """Codes by e-mail through Django's mail settings (EMAIL_*); it cannot send text messages."""

    channels = frozenset({Channel.EMAIL})

    def send(self, message: CodeMessage) -> None:
        if message.channel != Channel.EMAIL:
            raise SendError(f"EmailSender cannot deliver on {message.channel}")
        try:
            send_mail(message.subject, message.text, None, [message.destination], fail_silently=False)
        except (OSError, smtplib.SMTPException) as error:
            raise SendError(f"mail server refused or unreachable: {error}") from error


def configured_sender() -> CodeSender:
    """An instance of the class named by ``JINGXIANG_OTP_SENDER`` (read on every call, so tests may
    override the setting)."""
    sender: CodeSender = import_string(settings.JINGXIANG_OTP_SENDER)()
    return sender
