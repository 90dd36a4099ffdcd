"""On a real Synapse: a reply from the inbox lands in the room as an answer, and redact, kick
and ban from the inbox act on the room."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from chorus.channels import services as channels
from chorus.channels.models import Channel
from chorus.inbox import replies, services, services_moderation
from chorus.inbox.models import Conversation, Message, Note
from chorus.publishing.models import State
from tests.inbox import factories
from tests.servers.synapse import RunningSynapse

pytestmark = pytest.mark.server


@pytest.fixture
def homeserver(synapse: RunningSynapse) -> RunningSynapse:
    """The run's one Synapse (tests/conftest.py), under the name these tests read best with."""
    return synapse


def client_of(server: RunningSynapse, name: str) -> httpx.Client:
    token = server.users[name].access_token
    return httpx.Client(
        base_url=f"{server.base_url}/_matrix/client/v3",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


@pytest.fixture
def room(homeserver: RunningSynapse) -> Iterator[dict[str, Any]]:
    """A fresh room made by the bot account (so its admin), with a member who speaks."""
    bot, member = client_of(homeserver, "alice"), client_of(homeserver, "bob")
    made = bot.post("/createRoom", json={"preset": "public_chat", "name": uuid.uuid4().hex[:8]})
    room_id = str(made.json()["room_id"])
    member.post(f"/join/{quote(room_id, safe='')}", json={}).raise_for_status()
    yield {
        "id": room_id,
        "bot": bot,
        "member": member,
        "member_id": homeserver.users["bob"].user_id,
    }
    bot.close()
    member.close()


def say(room: dict[str, Any], text: str, who: str = "member") -> str:
    path = f"/rooms/{quote(room['id'], safe='')}/send/m.room.message/{uuid.uuid4().hex}"
    answer = room[who].put(path, json={"msgtype": "m.text", "body": text})
    answer.raise_for_status()
    return str(answer.json()["event_id"])


def event(room: dict[str, Any], event_id: str) -> dict[str, Any]:
    path = f"/rooms/{quote(room['id'], safe='')}/event/{quote(event_id, safe='')}"
    return dict(room["bot"].get(path).json())


def membership(room: dict[str, Any]) -> str:
    path = f"/rooms/{quote(room['id'], safe='')}/state/m.room.member/{quote(room['member_id'])}"
    return str(room["bot"].get(path).json().get("membership", ""))


@pytest.fixture
def channel(workspace_a, homeserver: RunningSynapse, room) -> Channel:  # type: ignore[no-untyped-def]
    settings = {"base_url": homeserver.base_url, "room": room["id"]}
    return channels.connect(
        workspace_a, "matrix", homeserver.users["alice"].credentials(), settings
    )


@pytest.fixture
def talk(channel: Channel, room) -> tuple[Conversation, Message]:  # type: ignore[no-untyped-def]
    said = say(room, "Your app crashes when I upload a photo")
    fan = factories.author(
        channel.workspace, handle=room["member_id"], network="matrix", remote_id=room["member_id"]
    )
    conversation = factories.conversation(channel, "crash", by=fan, remote_id=room["id"])
    message = conversation.messages.get()
    Message.objects.filter(pk=message.pk).update(remote_id=said)
    message.refresh_from_db()
    return conversation, message


def test_reply_appears_in_the_room_as_an_answer(
    alice, talk, room, django_capture_on_commit_callbacks
) -> None:
    conversation, asked = talk
    with django_capture_on_commit_callbacks(execute=True):
        sent = replies.reply(conversation, "Sorry! A fix ships tonight.", alice)
    replies.settle_replies(conversation)
    sent.refresh_from_db()

    assert sent.reply_target.state == State.PUBLISHED, sent.reply_target.last_error
    answer = event(room, sent.remote_id)
    assert answer["content"]["body"] == "Sorry! A fix ships tonight."
    relation = answer["content"].get("m.relates_to", {})
    assert relation.get("m.in_reply_to", {}).get("event_id") == asked.remote_id


def test_delete_redacts_the_message_for_everyone(alice, talk, room) -> None:
    _conversation, message = talk
    services_moderation.delete_message(message, alice, reason="spam")
    assert event(room, message.remote_id)["content"] == {}
    message.refresh_from_db()
    assert message.deleted


def test_kick_then_ban_the_author(alice, talk, room) -> None:
    conversation, message = talk
    services_moderation.ban_author(message, alice, kick_only=True)
    assert membership(room) == "leave"

    room["member"].post(f"/join/{quote(room['id'], safe='')}", json={}).raise_for_status()
    services_moderation.ban_author(message, alice, reason="harassment")
    assert membership(room) == "ban"
    assert Note.objects.filter(conversation=conversation).count() == 2


def test_matrix_offers_delete_kick_ban_but_not_hide(channel: Channel) -> None:
    offered = services_moderation.moderation_for(channel)
    assert offered == {"delete", "delete_own", "kick", "ban", "unban"}


def test_a_refusal_is_told_in_words(alice, workspace_a, room, homeserver) -> None:  # type: ignore[no-untyped-def]
    # The channel's account is a plain member (power 0): the homeserver refuses, Chorus says
    # what to do about it, and nothing changes on our side.
    settings = {"base_url": homeserver.base_url, "room": room["id"]}
    weak = channels.connect(workspace_a, "matrix", homeserver.users["bob"].credentials(), settings)
    # As if its power was lowered after the channel was last checked: Chorus still offers the
    # actions, and it is the homeserver that refuses.
    weak.settings = {**weak.settings, "refused_verbs": []}
    weak.save(update_fields=["settings"])
    admin_id = homeserver.users["alice"].user_id
    admin = factories.author(workspace_a, handle=admin_id, network="matrix", remote_id=admin_id)
    conversation = factories.conversation(weak, "hello", by=admin, remote_id=room["id"])
    message = conversation.messages.get()
    Message.objects.filter(pk=message.pk).update(remote_id=say(room, "a message", who="bot"))
    message.refresh_from_db()
    with pytest.raises(services.InboxRuleBroken, match="power level"):
        services_moderation.ban_author(message, alice)
    with pytest.raises(services.InboxRuleBroken, match="power level"):
        services_moderation.delete_message(message, alice)
    message.refresh_from_db()
    assert not message.deleted
    assert not Note.objects.filter(conversation=conversation).exists()
