"""A message deleted or hidden on the network shows as such everywhere its words were shown:
the inbox list, search results, Today, the author's history and the CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest

from chorus.inbox import services_moderation
from chorus.inbox.models import Conversation, Message
from chorus.inbox.webhooks import store_delivery
from tests.channels.telegram.loopback import LoopbackApi
from tests.channels.telegram.telegram_bot import ok
from tests.inbox import factories
from tests.inbox.telegram_support import GROUP, connect_group, delivery, running_bot_api

pytestmark = pytest.mark.django_db
WORDS = "Оп"  # what the member wrote in the recorded supergroup (update 7)
DELETED = "Deleted on the network."


@pytest.fixture
def bot_api() -> Iterator[LoopbackApi]:
    yield from running_bot_api()


@pytest.fixture
def said(workspace_a, bot_api) -> Message:
    group = connect_group(workspace_a, bot_api)
    store_delivery(group.pk, delivery(7))
    return Message.objects.select_related("channel", "conversation").get(
        channel=group, remote_id=f"{GROUP}:2"
    )


def _export(client, query: str = "") -> str:
    response = client.get(f"/inbox/export.csv{query}")
    return b"".join(response.streaming_content).decode("utf-8")


def _everywhere(client) -> dict[str, str]:
    return {
        "list": client.get("/inbox/").content.decode(),
        "search": client.get("/inbox/?q=dmkurto").content.decode(),
        "today": client.get("/today/").content.decode(),
        "export": _export(client),
    }


def test_a_message_deleted_from_the_inbox_leaves_no_words_behind(
    alice, alice_client, bot_api, said
) -> None:
    assert WORDS in Conversation.objects.get(pk=said.conversation_id).preview
    bot_api.answer("/deleteMessage", ok(True))

    services_moderation.delete_message(said, alice)

    assert Conversation.objects.get(pk=said.conversation_id).preview == ""
    for place, html in _everywhere(alice_client).items():
        assert DELETED in html, place
        assert f">{WORDS}<" not in html and f",{WORDS}," not in html, place
    assert "dmkurto" not in alice_client.get(f"/inbox/?q={WORDS}").content.decode()


def test_deleted_before_the_preview_was_cleared_still_shows_as_deleted(
    alice_client, workspace_a
) -> None:
    talk = factories.conversation(factories.channel(workspace_a), "Rude words here")
    Message.objects.filter(conversation=talk).update(deleted=True)  # preview kept the text

    for place, html in _everywhere(alice_client).items():
        assert "Rude words here" not in html, place
    rows = list(csv.reader(io.StringIO(_export(alice_client)[1:])))
    assert rows[1][9] == DELETED


def test_a_hidden_message_says_it_is_hidden(alice_client, workspace_a) -> None:
    talk = factories.conversation(factories.channel(workspace_a), "Buy followers now")
    Message.objects.filter(conversation=talk).update(hidden=True)

    html = alice_client.get("/inbox/").content.decode()
    assert "Hidden on the network: Buy followers now" in html
    rows = list(csv.reader(io.StringIO(_export(alice_client)[1:])))
    assert rows[1][9] == "Hidden on the network: Buy followers now"


def test_a_newer_message_after_a_deleted_one_is_the_preview_again(
    alice, alice_client, bot_api, said
) -> None:
    bot_api.answer("/deleteMessage", ok(True))
    services_moderation.delete_message(said, alice)
    talk = Conversation.objects.get(pk=said.conversation_id)
    factories.message(talk, "A new question")
    Conversation.objects.filter(pk=talk.pk).update(preview="A new question")

    html = alice_client.get("/inbox/").content.decode()
    assert "A new question" in html and DELETED not in html
