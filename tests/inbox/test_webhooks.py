"""Webhook deliveries: signed, parsed, stored once, and only into the channel they belong to."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import include, path

from chorus.channels.base import Author, Capability, Connection, InboxItem, Limits, Network
from chorus.channels.models import Channel
from chorus.channels.registry import NETWORKS, get_network
from chorus.channels.webhook_address import webhook_path, webhook_secrets
from chorus.inbox.models import Conversation, Message
from tests.inbox.ingest_support import make_channel

# Until the project's URLs include it, the webhook is mounted here as the lead will mount it.
urlpatterns = [path("inbox/webhooks/", include("chorus.inbox.urls.webhooks"))]
pytestmark = pytest.mark.urls(__name__)


class FakeGram(Network):
    """A pushing network for these tests: HMAC-SHA256 of the body, JSON list of messages."""

    key = "fakegram"
    label = "FakeGram"
    capabilities = frozenset({Capability.WEBHOOK})
    limits = Limits(max_chars=1000)
    connection_class = Connection

    @classmethod
    def verify_webhook(cls, headers: Any, body: bytes, secret: str) -> bool:
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, headers.get("X-Fake-Signature", ""))

    @classmethod
    def parse_webhook(cls, body: bytes) -> list[InboxItem]:
        return [parse_one(message) for message in json.loads(body)["messages"]]


class TeleLike(Network):
    """Hooks as module functions (secret in a header, JSON update), as Telegram once had them."""

    key = "telelike"
    label = "TeleLike"
    capabilities = frozenset({Capability.WEBHOOK})
    limits = Limits(max_chars=4096)
    connection_class = Connection


def verify_webhook(headers: Any, secret: str) -> bool:  # TeleLike's module, never looked up
    return hmac.compare_digest(headers.get("X-Telegram-Bot-Api-Secret-Token", ""), secret)


def parse_update(update: dict[str, Any]) -> list[InboxItem]:
    return [parse_one(update["message"])]


def parse_one(message: dict[str, Any]) -> InboxItem:
    return InboxItem(
        remote_id=str(message["id"]),
        kind="direct",
        conversation_id=str(message["chat"]),
        author=Author(remote_id=str(message["from"]), handle=str(message["from"])),
        text=str(message["text"]),
        created_at=datetime.fromtimestamp(int(message["date"]), tz=UTC),
    )


@pytest.fixture(autouse=True)
def _fake_networks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(NETWORKS, "fakegram", f"{__name__}.FakeGram")
    monkeypatch.setitem(NETWORKS, "telelike", f"{__name__}.TeleLike")
    get_network.cache_clear()
    yield
    get_network.cache_clear()


def hook_channel(workspace, network: str = "fakegram") -> Channel:  # type: ignore[no-untyped-def]
    channel = make_channel(workspace, network=network, encrypted_credentials="")
    channel.credentials = {"bot_token": "123:abc"}
    channel.save()
    webhook_secrets(channel)
    return channel


def delivery(*ids: int, text: str = "Bonjour, une question sur ma commande") -> bytes:
    messages = [
        {"id": n, "chat": "chat-7", "from": "user-9", "text": text, "date": 1772445600 + n}
        for n in ids
    ]
    return json.dumps({"messages": messages}).encode()


def post(channel: Channel, body: bytes, *, secret: str | None = None, url: str = "") -> Any:
    signing = secret if secret is not None else channel.credentials["webhook_secret"]
    signature = hmac.new(signing.encode(), body, hashlib.sha256).hexdigest()
    return Client(enforce_csrf_checks=True).post(
        url or webhook_path(channel),
        body,
        content_type="application/json",
        headers={"X-Fake-Signature": signature},
    )


def test_a_signed_delivery_is_stored(workspace_a) -> None:
    channel = hook_channel(workspace_a)

    answer = post(channel, delivery(1, 2))

    assert answer.status_code == 200
    assert answer.json() == {"ok": True, "items": 2}
    assert Message.objects.filter(channel=channel).count() == 2
    conversation = Conversation.objects.get(channel=channel)
    assert (conversation.remote_id, conversation.kind, conversation.message_count) == (
        "chat-7",
        "direct",
        2,
    )


def test_a_delivery_sent_twice_is_stored_once(workspace_a) -> None:
    channel = hook_channel(workspace_a)

    post(channel, delivery(1, 2))
    again = post(channel, delivery(2, 3))

    assert again.status_code == 200
    assert sorted(Message.objects.values_list("remote_id", flat=True)) == ["1", "2", "3"]


def test_a_bad_signature_is_refused(workspace_a) -> None:
    channel = hook_channel(workspace_a)

    answer = post(channel, delivery(1), secret="not-the-secret")

    assert answer.status_code == 403
    assert not Message.objects.exists()


def test_a_malformed_body_gets_a_json_error(workspace_a) -> None:
    channel = hook_channel(workspace_a)

    answer = post(channel, b'{"messages": [{"id": 1}]}')

    assert answer.status_code == 400
    assert answer.json()["error"] == "malformed body"
    assert not Message.objects.exists()


def test_a_wrong_token_is_not_found(workspace_a) -> None:
    channel = hook_channel(workspace_a)

    answer = post(channel, delivery(1), url=f"/inbox/webhooks/{channel.pk}/guessed-token/")

    assert answer.status_code == 404
    assert not Message.objects.exists()


def test_a_token_of_workspace_a_cannot_post_into_workspace_c(workspace_a, workspace_c) -> None:
    ours = hook_channel(workspace_a)
    theirs = hook_channel(workspace_c)
    our_token = ours.credentials["webhook_token"]

    # Signed with C's secret even: A's token never opens C's channel.
    answer = post(theirs, delivery(1), url=f"/inbox/webhooks/{theirs.pk}/{our_token}/")

    assert answer.status_code == 404
    assert not Message.objects.filter(workspace=workspace_c).exists()
    assert not Message.objects.filter(workspace=workspace_a).exists()


def test_only_post_is_accepted(workspace_a) -> None:
    channel = hook_channel(workspace_a)

    assert Client().get(webhook_path(channel)).status_code == 405


def test_a_network_without_webhooks_has_none(workspace_a) -> None:
    channel = hook_channel(workspace_a, network="mastodon")

    assert post(channel, delivery(1)).status_code == 404


def test_module_functions_are_not_found_by_reflection(workspace_a) -> None:
    """TeleLike declares WEBHOOK but its hooks are loose module functions, not the typed
    ``ReceivesWebhooks`` capability: nothing is looked up by name, and nothing gets in."""
    channel = hook_channel(workspace_a, network="telelike")
    secret = channel.credentials["webhook_secret"]
    update = {"message": {"id": 5, "chat": "42", "from": "u1", "text": "Salut", "date": 1772445600}}

    refused = Client().post(
        webhook_path(channel),
        update,
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": secret},
    )

    assert refused.status_code == 403
    assert not Message.objects.filter(channel=channel).exists()
