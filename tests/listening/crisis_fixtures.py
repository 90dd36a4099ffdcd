"""Crisis fixtures: a real SMTP server (aiosmtpd) on loopback, and a crisis of workspace A.

Imported by name by the crisis test files (other listening tests own ``conftest.py``).
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller

from chorus.accounts.models import User
from chorus.listening import crisis as crises
from chorus.listening.models import Crisis
from chorus.workspaces.models import Membership, Role, Workspace


class Mailbox:
    """Keeps every message the server received."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def links(self) -> list[str]:
        found = []
        for message in self.messages:
            body = message.get_payload(decode=True) or b""
            found += re.findall(r"https?://\S+/listening/statement/\S+/", body.decode())
        return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(settings) -> Iterator[Mailbox]:  # type: ignore[no-untyped-def]
    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def crisis_a(alice: User, workspace_a: Workspace) -> Crisis:
    return crises.open_crisis(workspace_a, alice, "Broken kettles")


@pytest.fixture
def contributor_bob(bob: User, workspace_a: Workspace) -> User:
    Membership.objects.filter(user=bob, workspace=workspace_a).update(role=Role.CONTRIBUTOR)
    return bob
