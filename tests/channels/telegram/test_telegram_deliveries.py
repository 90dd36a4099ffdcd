"""Webhook deliveries: the secret header is checked, every update kind is read the same way."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import include, path

from chorus.channels.models import Channel
from chorus.channels.networks.telegram import parse_update, verify_webhook
from chorus.channels.networks.telegram.network import Telegram
from chorus.channels.webhook_address import webhook_path
from tests.channels.telegram.telegram_bot import TOKEN, recorded

SECRET = "s3cret-token_from-setWebhook"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
GROUP = -1001283156137

# The project's URLs may not include the inbox webhooks yet; this test mounts them itself.
urlpatterns = [path("inbox/webhooks/", include("chorus.inbox.urls.webhooks"))]


def group_update(number: int) -> dict:
    return recorded("getUpdates_group.json")["result"][number]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({HEADER: SECRET}, True),
        ({HEADER.lower(): SECRET}, True),
        ({HEADER: SECRET + "x"}, False),
        ({HEADER: ""}, False),
        ({}, False),
    ],
)
def test_the_secret_header_must_match(headers, expected) -> None:
    assert verify_webhook(headers, SECRET) is expected
    assert Telegram.verify_webhook(headers, b"{}", SECRET) is expected


def test_no_secret_configured_accepts_nothing() -> None:
    assert verify_webhook({HEADER: ""}, "") is False


def test_a_private_message_is_a_direct_conversation() -> None:
    [item] = parse_update(recorded("getUpdates_private.json")["result"][0])

    assert (item.kind, item.conversation_id, item.text) == ("direct", "5051103386", "/start")
    assert item.author.display_name == "Max Nix"
    assert item.url == ""  # private chats have no link


def test_a_group_message_is_a_comment_on_the_chat() -> None:
    [item] = parse_update(group_update(7))

    assert (item.kind, item.conversation_id, item.remote_id) == (
        "comment",
        str(GROUP),
        f"{GROUP}:2",
    )
    assert item.created_at.isoformat() == "2017-12-08T11:58:45+00:00"


def test_a_reply_in_a_group_belongs_to_its_threads_root() -> None:
    # The recorded message 3, answering the recorded message 2 (fields from the Bot API docs).
    update = group_update(8)
    update["message"]["reply_to_message"] = group_update(7)["message"]

    [item] = parse_update(update)

    assert item.kind == "reply"
    assert item.in_reply_to == f"{GROUP}:2"
    assert item.conversation_id == f"{GROUP}:2"

    update["message"]["message_thread_id"] = 1
    assert parse_update(update)[0].conversation_id == f"{GROUP}:1"


def test_a_channel_post_speaks_as_the_channel() -> None:
    [item] = parse_update(recorded("getUpdates_channel.json")["result"][0])

    assert item.kind == "comment"
    assert item.author.remote_id == "-1001241558182"
    assert item.text.startswith("https://userinterfacing.com/")


@pytest.mark.parametrize("number", [2, 3, 4, 5])  # an edit, a join, a migration (twice)
def test_edits_and_service_messages_are_not_conversation(number) -> None:
    assert parse_update(group_update(number)) == []


def test_a_photo_without_caption_is_an_item_with_its_picture() -> None:
    update = recorded("update_photo.json")
    (item,) = parse_update(update)
    assert (item.text, [m.kind for m in item.media]) == ("", ["image"])
    assert item.media[0].url == ""  # a file address would hold the bot's token

    update["message"]["caption"] = "Look at this"
    assert parse_update(update)[0].text == "Look at this"


def test_the_channels_own_post_mirrored_to_its_group_is_skipped() -> None:
    update = group_update(7)
    update["message"]["is_automatic_forward"] = True
    assert parse_update(update) == []


def test_a_body_that_is_not_an_update_is_refused() -> None:
    with pytest.raises(ValueError):
        Telegram.parse_webhook(b"[1, 2]")


@pytest.mark.urls(__name__)
def test_the_inbox_endpoint_takes_a_signed_delivery_only(workspace_a) -> None:
    channel = Channel.objects.create(
        workspace=workspace_a, network="telegram", remote_id=str(GROUP), name="Group"
    )
    channel.credentials = {"bot_token": TOKEN, "webhook_secret": SECRET, "webhook_token": "t0k"}
    channel.settings = {"chat_id": str(GROUP)}
    channel.save()
    url = webhook_path(channel)
    body = json.dumps(group_update(7))

    refused = Client().post(url, body, content_type="application/json", headers={HEADER: "no"})
    taken = Client().post(url, body, content_type="application/json", headers={HEADER: SECRET})

    assert refused.status_code == 403
    assert taken.status_code == 200 and taken.json()["items"] == 1
