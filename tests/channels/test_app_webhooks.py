"""Webhooks at app level (``/webhooks/<network>/``): one address for a network's app, a GET
challenge, a signature check, deliveries routed to the channels of the accounts they name.

"Hookbook" is a tiny network defined here, shaped like Meta's webhooks (none of today's
networks needs an app-level address); its bodies are its own, not a real network's.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime

import pytest
from django.test import Client

from chorus.channels.base import Author, Capability, Connection, InboxItem, Limits, Network
from chorus.channels.models import Channel, ChannelStatus
from chorus.channels.registry import NETWORKS, get_network
from chorus.inbox.models import Message
from tests.inbox.ingest_support import make_channel

APP_SECRET = "hookbook-app-secret"
VERIFY_TOKEN = "chosen-by-the-operator"


class _Hookbook(Network):
    key = "hookbook"
    label = "Hookbook"
    capabilities = frozenset({Capability.WEBHOOK, Capability.INBOX})
    limits = Limits(max_chars=1000)
    connection_class = Connection

    @classmethod
    def answer_challenge(cls, query: Mapping[str, str]) -> str | None:
        if query.get("hub.mode") == "subscribe" and query.get("hub.verify_token") == VERIFY_TOKEN:
            return str(query.get("hub.challenge", ""))
        return None

    @classmethod
    def verify_app_webhook(cls, headers: Mapping[str, str], body: bytes) -> bool:
        expected = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, headers.get("X-Hub-Signature-256", ""))

    @classmethod
    def route_app_webhook(cls, body: bytes) -> dict[str, list[InboxItem]]:
        routed: dict[str, list[InboxItem]] = {}
        for entry in json.loads(body)["entry"]:
            routed.setdefault(str(entry["id"]), []).extend(
                InboxItem(
                    remote_id=str(m["mid"]),
                    kind="comment",
                    conversation_id=str(m["post"]),
                    author=Author(remote_id=str(m["from"]), handle=str(m["from"])),
                    text=str(m["text"]),
                    created_at=datetime.fromtimestamp(int(m["time"]), tz=UTC),
                )
                for m in entry["messages"]
            )
        return routed


@pytest.fixture(autouse=True)
def _network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(NETWORKS, "hookbook", f"{__name__}._Hookbook")
    get_network.cache_clear()
    yield
    get_network.cache_clear()


def _delivery(page: str, text: str = "Bonjour !") -> bytes:
    message = {
        "mid": f"m-{page}",
        "post": "post-1",
        "from": "u-9",
        "text": text,
        "time": 1772445600,
    }
    return json.dumps({"entry": [{"id": page, "messages": [message]}]}).encode()


def _post(body: bytes, secret: str = APP_SECRET):  # type: ignore[no-untyped-def]
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return Client().post(
        "/webhooks/hookbook/",
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": signature},
    )


def test_the_get_challenge_is_answered_only_with_the_right_token(db) -> None:
    good = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "42"}
    answer = Client().get("/webhooks/hookbook/", good)
    refused = Client().get("/webhooks/hookbook/", {**good, "hub.verify_token": "guess"})

    assert (answer.status_code, answer.content) == (200, b"42")
    assert refused.status_code == 403


def test_a_delivery_goes_to_every_channel_of_that_account_and_no_other(
    workspace_a, workspace_c
) -> None:
    ours = make_channel(workspace_a, network="hookbook", remote_id="page-1")
    theirs = make_channel(workspace_c, network="hookbook", remote_id="page-1")
    other_page = make_channel(workspace_a, network="hookbook", remote_id="page-2")

    answer = _post(_delivery("page-1"))

    assert answer.status_code == 200 and answer.json()["channels"] == 2
    assert Message.objects.get(channel=ours).text == "Bonjour !"
    assert Message.objects.get(channel=theirs).workspace_id == workspace_c.pk
    assert not Message.objects.filter(channel=other_page).exists()


def test_a_bad_signature_stores_nothing(workspace_a) -> None:
    channel = make_channel(workspace_a, network="hookbook", remote_id="page-1")

    assert _post(_delivery("page-1"), secret="guessed").status_code == 403
    assert not Message.objects.filter(channel=channel).exists()


def test_a_disconnected_channel_gets_nothing(workspace_a) -> None:
    channel = make_channel(
        workspace_a, network="hookbook", remote_id="page-1", status=ChannelStatus.DISCONNECTED
    )

    assert _post(_delivery("page-1")).json()["channels"] == 0
    assert not Message.objects.filter(channel=channel).exists()


def test_networks_without_an_app_address_have_none(db) -> None:
    assert Client().get("/webhooks/mastodon/").status_code == 404
    assert Client().get("/webhooks/telegram/", {"hub.challenge": "1"}).status_code == 404
    assert not Channel.objects.exists()
