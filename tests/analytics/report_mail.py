"""A real SMTP server (aiosmtpd) on loopback that keeps what Chorus sends, for report e-mails."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Delivery:
    recipients: list[str]
    message: EmailMessage


@dataclass
class Mailbox:
    deliveries: list[Delivery] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.deliveries.append(Delivery(list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def to(self, address: str) -> Delivery:
        return next(d for d in self.deliveries if address in d.recipients)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def mailbox(settings) -> Iterator[Mailbox]:  # type: ignore[no-untyped-def]
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = False
    try:
        yield box
    finally:
        controller.stop()
