"""On a real Synapse: the inbox offers only the moderation the bot's power level allows, says why
the rest is missing, and "Check again" on the channel's page brings it back once the level is
raised.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from chorus.accounts.models import User
from chorus.channels import services as channels
from chorus.channels.models import Channel
from chorus.inbox import services, services_moderation
from chorus.inbox.models import Conversation
from chorus.workspaces.models import Workspace
from tests.inbox import factories
from tests.inbox.test_reply_matrix import client_of
from tests.servers.synapse import RunningSynapse

pytestmark = pytest.mark.server
MISSING = "delete other people&#x27;s messages, remove people, ban people, lift bans"


@pytest.fixture
def room(synapse: RunningSynapse) -> Iterator[dict[str, Any]]:
    """A room made by the homeserver's alice, which the brand's bot account (bob) has joined as
    a plain member (power level 0)."""
    admin, bot = client_of(synapse, "alice"), client_of(synapse, "bob")
    made = admin.post("/createRoom", json={"preset": "public_chat", "name": uuid.uuid4().hex[:8]})
    room_id = str(made.json()["room_id"])
    bot.post(f"/join/{quote(room_id, safe='')}", json={}).raise_for_status()
    yield {"id": room_id, "admin": admin, "bot_id": synapse.users["bob"].user_id}
    admin.close()
    bot.close()


def raise_bot_to_moderator(room: dict[str, Any]) -> None:
    path = f"/rooms/{quote(room['id'], safe='')}/state/m.room.power_levels"
    levels = room["admin"].get(path).json()
    levels["users"][room["bot_id"]] = 50
    room["admin"].put(path, json=levels).raise_for_status()


@pytest.fixture
def talk(workspace_a: Workspace, synapse: RunningSynapse, room: dict[str, Any]) -> Conversation:
    settings = {"base_url": synapse.base_url, "room": room["id"]}
    channel = channels.connect(workspace_a, "matrix", synapse.users["bob"].credentials(), settings)
    return factories.conversation(channel, "Cheap watches, click here", remote_id=room["id"])


def page_of(client: Client, talk: Conversation) -> str:
    answer = client.get(f"/inbox/{talk.pk}/")
    assert answer.status_code == 200
    return answer.content.decode()


def test_without_the_power_the_buttons_are_not_offered_and_the_page_says_why(
    alice_client: Client, talk: Conversation
) -> None:
    page = page_of(alice_client, talk)

    assert 'value="delete"' not in page and 'value="ban"' not in page
    assert 'value="kick"' not in page
    assert f"may not {MISSING} here" in page
    assert f'href="/channels/{talk.channel_id}/"' in page


def test_checking_again_after_the_power_is_raised_brings_the_buttons_back(
    alice_client: Client, talk: Conversation, room: dict[str, Any]
) -> None:
    raise_bot_to_moderator(room)

    answer = alice_client.post(f"/channels/{talk.channel_id}/check/", follow=True)

    assert "Checked with the network just now." in answer.content.decode()
    page = page_of(alice_client, talk)
    assert 'value="delete"' in page and 'value="ban"' in page and 'value="kick"' in page
    assert "may not" not in page


def test_the_channel_page_names_the_missing_rights_and_offers_the_check(
    alice_client: Client, talk: Conversation
) -> None:
    page = alice_client.get(f"/channels/{talk.channel_id}/").content.decode()

    assert f"The account may not {MISSING} here." in page
    assert f'action="/channels/{talk.channel_id}/check/"' in page


def test_only_people_who_manage_channels_may_check_and_only_their_own(
    bob_client: Client, charlie_client: Client, talk: Conversation
) -> None:
    before = Channel.objects.get(pk=talk.channel_id).settings

    assert bob_client.post(f"/channels/{talk.channel_id}/check/").status_code == 403
    assert charlie_client.post(f"/channels/{talk.channel_id}/check/").status_code == 404
    assert Channel.objects.get(pk=talk.channel_id).settings == before


def test_a_refused_action_is_told_in_words_before_anything_is_sent(
    alice: User, talk: Conversation
) -> None:
    message = talk.messages.get()

    with pytest.raises(services.InboxRuleBroken, match="may not do this here"):
        services_moderation.ban_author(message, alice)
    with pytest.raises(services.InboxRuleBroken, match="may not do this here"):
        services_moderation.delete_message(message, alice)
    message.refresh_from_db()
    assert not message.deleted
