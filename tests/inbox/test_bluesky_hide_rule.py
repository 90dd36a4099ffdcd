"""A moderation rule hides a Bluesky reply for real, and undoing it shows the reply again.

End to end against a real PDS on loopback: the rule runs on a stored reply, the background task
writes the thread gate of the brand's post through the connector, and the undo removes the reply
from it. The thread gate is read straight from the PDS, not from Chorus.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from chorus.accounts.models import User
from chorus.channels import services as channels
from chorus.channels.base import OutgoingPost
from chorus.channels.models import Channel
from chorus.channels.registry import get_network
from chorus.inbox.models import Conversation, Message, RuleAction
from chorus.inbox.rules import apply_rules, undo, undo_refusal, validate_rule
from chorus.inbox.services_moderation import hide_message, moderation_for
from chorus.workspaces.models import Workspace
from tests.channels.bluesky.conftest import Account, create_account
from tests.inbox.rules_helpers import make_rule
from tests.servers.pds import RunningPDS

pytestmark = pytest.mark.server


@pytest.fixture
def brand(pds: RunningPDS) -> Account:  # noqa: F811
    return create_account(pds, "brand")


@pytest.fixture
def troll(pds: RunningPDS) -> Account:  # noqa: F811
    return create_account(pds, "troll")


@pytest.fixture
def channel(workspace_a: Workspace, pds: RunningPDS, brand: Account) -> Channel:  # noqa: F811
    """The brand's Bluesky account, connected to workspace A the way a person connects it."""
    return channels.connect(workspace_a, "bluesky", brand.credentials(), {"base_url": pds.url})


def publish(pds: RunningPDS, account: Account, text: str, reply_to: str = "") -> str:  # noqa: F811
    connection = get_network("bluesky").connect(account.credentials(), {"base_url": pds.url})
    try:
        return connection.publish(OutgoingPost(text=text, reply_to=reply_to)).remote_id
    finally:
        connection.close()


def received(channel: Channel, root: str, reply: str, text: str) -> Message:
    """The reply as the inbox stores it after a poll: its at-uri is the message's remote id."""
    conversation = Conversation.objects.create(
        workspace=channel.workspace, channel=channel, remote_id=root, kind="comment", preview=text
    )
    return Message.objects.create(
        workspace=channel.workspace,
        conversation=conversation,
        channel=channel,
        remote_id=reply,
        kind="reply",
        text=text,
        in_reply_to=root,
    )


def hidden_on_bluesky(pds: RunningPDS, account: Account, root: str) -> list[str]:  # noqa: F811
    answer = httpx.get(
        f"{pds.url}/xrpc/com.atproto.repo.getRecord",
        params={
            "repo": account.did,
            "collection": "app.bsky.feed.threadgate",
            "rkey": root.rsplit("/", 1)[1],
        },
        timeout=30,
    )
    if answer.status_code == 400 and answer.json().get("error") == "RecordNotFound":
        return []
    answer.raise_for_status()
    return list(answer.json()["value"].get("hiddenReplies", []))


def test_a_hide_rule_is_accepted_for_a_bluesky_channel(
    workspace_a: Workspace, channel: Channel
) -> None:
    assert validate_rule([], [{"type": "hide"}], workspace_a) == {}
    assert "hide" in moderation_for(channel)


def test_a_hide_rule_hides_the_reply_and_undo_shows_it_again(
    workspace_a: Workspace,
    alice: User,
    pds: RunningPDS,  # noqa: F811
    channel: Channel,
    brand: Account,
    troll: Account,
    django_capture_on_commit_callbacks: Any,
) -> None:
    root = publish(pds, brand, "Nos horaires changent")
    reply = publish(pds, troll, "Achetez mes abonnés", reply_to=root)
    message = received(channel, root, reply, "Achetez mes abonnés")
    make_rule(workspace_a, [], [{"type": "hide"}])

    with django_capture_on_commit_callbacks(execute=True):
        [logged] = apply_rules(workspace_a, [message])

    logged.refresh_from_db()
    assert logged.detail["state"] == "done", logged.detail
    assert Message.objects.get(pk=message.pk).hidden is True
    assert hidden_on_bluesky(pds, brand, root) == [reply]

    with django_capture_on_commit_callbacks(execute=True):
        assert undo(logged, alice) is True

    logged.refresh_from_db()
    assert logged.detail["undo_state"] == "done", logged.detail
    assert Message.objects.get(pk=message.pk).hidden is False
    assert hidden_on_bluesky(pds, brand, root) == []


def test_a_reply_in_someone_elses_thread_fails_in_words_and_stays_visible(
    workspace_a: Workspace,
    alice: User,
    pds: RunningPDS,  # noqa: F811
    channel: Channel,
    brand: Account,
    troll: Account,
    django_capture_on_commit_callbacks: Any,
) -> None:
    their_root = publish(pds, troll, "Mon fil")
    our_answer_there = publish(pds, brand, "Bonjour !", reply_to=their_root)
    message = received(channel, their_root, our_answer_there, "Bonjour !")
    make_rule(workspace_a, [], [{"type": "hide"}])

    with django_capture_on_commit_callbacks(execute=True):
        [logged] = apply_rules(workspace_a, [message])

    logged = RuleAction.objects.get(pk=logged.pk)
    assert logged.detail["state"] == "failed"
    assert "started by another account" in logged.detail["error"]
    assert Message.objects.get(pk=message.pk).hidden is False
    assert "never hidden" in undo_refusal(logged)


def test_the_inbox_hide_button_hides_it_on_bluesky(
    alice: User,
    pds: RunningPDS,  # noqa: F811
    channel: Channel,
    brand: Account,
    troll: Account,
) -> None:
    root = publish(pds, brand, "Question du jour")
    reply = publish(pds, troll, "Hors sujet", reply_to=root)
    message = received(channel, root, reply, "Hors sujet")

    hide_message(message, alice)

    assert Message.objects.get(pk=message.pk).hidden is True
    assert hidden_on_bluesky(pds, brand, root) == [reply]


def test_a_reply_hidden_from_the_inbox_is_shown_again_from_the_page(
    alice_client: Any,
    pds: RunningPDS,  # noqa: F811
    channel: Channel,
    brand: Account,
    troll: Account,
) -> None:
    root = publish(pds, brand, "Question du jour")
    reply = publish(pds, troll, "Hors sujet", reply_to=root)
    message = received(channel, root, reply, "Hors sujet")
    url = f"/inbox/{message.conversation_id}/messages/{message.pk}/moderate/"

    hidden_page = alice_client.post(url, {"action": "hide"}, follow=True).content.decode()
    assert 'value="unhide"' in hidden_page and 'value="hide"' not in hidden_page
    assert hidden_on_bluesky(pds, brand, root) == [reply]

    shown_page = alice_client.post(url, {"action": "unhide"}, follow=True).content.decode()

    assert "Message shown again." in shown_page and 'value="hide"' in shown_page
    assert Message.objects.get(pk=message.pk).hidden is False
    assert hidden_on_bluesky(pds, brand, root) == []
