"""From a mention to action: answer (it becomes an inbox conversation of a channel that can
reply, and the answer goes out to the network), assign, label; no "Answer" where no channel
can; roles (a contributor cannot act) and tenancy (charlie cannot touch A's mentions)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from chorus.channels.models import Channel
from chorus.inbox import replies
from chorus.inbox.models import Conversation, Direction, Label
from chorus.listening.mention_actions import MentionActionRefused, open_conversation
from chorus.listening.models import Mention
from chorus.workspaces.models import Membership, Role, Workspace
from tests.listening.mention_factories import make_author, make_mention, make_source

pytestmark = pytest.mark.django_db
PAGE = "/listening/mentions/"


@pytest.fixture
def toot(workspace_a: Workspace) -> Mention:
    fan = make_author(workspace_a, "lou@piaille.fr", followers=300)
    return make_mention(
        workspace_a, "Does @cafe deliver to Lyon?", timezone.now() - timedelta(hours=1),
        network="mastodon", remote_id="110001", author=fan, url="https://piaille.fr/@lou/110001",
    )  # fmt: skip


@pytest.fixture
def article(workspace_a: Workspace) -> Mention:
    return make_mention(
        workspace_a, "A blog post about the café", timezone.now() - timedelta(hours=2),
        network="rss", remote_id="https://blog.example/post-1", source=make_source(workspace_a),
    )  # fmt: skip


def _answer_url(mention: Mention) -> str:
    return f"/listening/mentions/{mention.pk}/answer/"


def test_answer_makes_an_inbox_conversation_and_the_reply_reaches_the_network(
    alice: object,
    alice_client: Client,
    channel_a: Channel,
    toot: Mention,
    standin: object,
    django_capture_on_commit_callbacks: object,
) -> None:
    page = alice_client.get(PAGE).content.decode()
    assert _answer_url(toot) in page
    response = alice_client.post(_answer_url(toot))
    toot.refresh_from_db()
    conversation = toot.conversation
    assert conversation is not None and conversation.channel == channel_a
    assert response.status_code == 302 and response["Location"] == f"/inbox/{conversation.pk}/"
    assert conversation.messages.get().text == "Does @cafe deliver to Lyon?"
    assert conversation.author is not None and conversation.author.handle == "lou@piaille.fr"
    # A second click opens the same conversation.
    again = alice_client.post(_answer_url(toot))
    assert again["Location"] == f"/inbox/{conversation.pk}/"
    assert Conversation.objects.filter(workspace=toot.workspace).count() == 1
    # And from the inbox the answer goes out as a reply to the mention's post.
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        message = replies.reply(conversation, "Yes, every Tuesday!", alice)  # type: ignore[arg-type]
    replies.settle_replies(conversation)
    message.refresh_from_db()
    assert message.direction == Direction.OUTGOING
    assert message.reply_target.options["reply_to"] == "110001"
    assert standin.store.stats()["statuses"] == 1  # type: ignore[attr-defined]
    assert "Open in the inbox" in alice_client.get(PAGE).content.decode()


def test_no_answer_offered_without_a_channel_that_can_reply(
    alice: object, alice_client: Client, channel_a: Channel, article: Mention
) -> None:
    page = alice_client.get(PAGE).content.decode()
    assert "A blog post about the café" in page
    assert _answer_url(article) not in page
    response = alice_client.post(_answer_url(article))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.conversation is None
    with pytest.raises(MentionActionRefused):
        open_conversation(article, alice)  # type: ignore[arg-type]


def test_a_channel_needing_reconnection_offers_no_answer(
    alice_client: Client, channel_a: Channel, toot: Mention
) -> None:
    Channel.objects.filter(pk=channel_a.pk).update(status="needs_reconnect")
    assert _answer_url(toot) not in alice_client.get(PAGE).content.decode()


def test_assign_and_label_a_mention(
    alice_client: Client, bob: object, workspace_a: Workspace, article: Mention
) -> None:
    url = f"/listening/mentions/{article.pk}/"
    alice_client.post(url + "assign/", {"assignee": bob.pk, "next": PAGE})  # type: ignore[attr-defined]
    alice_client.post(url + "label/", {"label": "  Press  ", "next": PAGE})
    article.refresh_from_db()
    assert article.assignee == bob
    label = Label.objects.get(workspace=workspace_a, name="Press")
    assert list(article.labels.all()) == [label]
    page = alice_client.get(PAGE).content.decode()
    assert "Assigned to Bob Durand" in page and ">Press<" in page
    alice_client.post(url + f"labels/{label.pk}/remove/")
    alice_client.post(url + "assign/", {"assignee": ""})
    article.refresh_from_db()
    assert article.assignee is None and not article.labels.exists()


def test_a_bad_label_is_refused_with_a_message(alice_client: Client, article: Mention) -> None:
    response = alice_client.post(
        f"/listening/mentions/{article.pk}/label/", {"label": "<b>"}, follow=True
    )
    assert "A label name has 1 to 60 characters" in response.content.decode()
    assert not article.labels.exists()


def test_only_members_can_be_assigned(
    alice_client: Client, charlie: object, workspace_c: Workspace, article: Mention
) -> None:
    response = alice_client.post(
        f"/listening/mentions/{article.pk}/assign/",
        {"assignee": charlie.pk},  # type: ignore[attr-defined]
    )
    assert response.status_code == 404
    article.refresh_from_db()
    assert article.assignee is None


def test_a_contributor_sees_mentions_but_cannot_act(
    bob: object, bob_client: Client, workspace_a: Workspace, channel_a: Channel, toot: Mention
) -> None:
    Membership.objects.filter(user=bob, workspace=workspace_a).update(role=Role.CONTRIBUTOR)
    page = bob_client.get(PAGE).content.decode()
    assert "Does @cafe deliver to Lyon?" in page
    assert _answer_url(toot) not in page and "/assign/" not in page
    for action in ("answer/", "assign/", "label/"):
        response = bob_client.post(f"/listening/mentions/{toot.pk}/{action}", {"label": "x"})
        assert response.status_code == 403
    toot.refresh_from_db()
    assert toot.conversation is None and not toot.labels.exists()


def test_charlie_cannot_act_on_a_guessed_id(
    charlie_client: Client, alice: object, channel_a: Channel, toot: Mention
) -> None:
    for action in ("answer/", "assign/", "label/", "labels/1/remove/"):
        response = charlie_client.post(f"/listening/mentions/{toot.pk}/{action}", {"label": "x"})
        assert response.status_code == 404
    toot.refresh_from_db()
    assert toot.conversation is None and toot.assignee is None and not toot.labels.exists()


def test_actions_only_answer_post(alice_client: Client, toot: Mention) -> None:
    assert alice_client.get(_answer_url(toot)).status_code == 405
