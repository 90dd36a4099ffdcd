"""Outreach sent as a direct message through the inbox: only in a private conversation the
person already has with a channel that can answer, published through the dispatcher (here to
the Mastodon stand-in over loopback), and recorded in the history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chorus.channels.models import Channel, ChannelStatus
from chorus.engagement.models.relations import EventKind, OutreachTemplate, RelationEvent, Stage
from chorus.inbox.models import Direction, Kind, Message
from chorus.people.models import Author
from chorus.publishing.models import State
from tests.engagement.relation_factories import relation
from tests.inbox import factories as inbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def nadia_in_dm(workspace_a, channel_a: Channel):  # type: ignore[no-untyped-def]
    nadia = relation(workspace_a, "Nadia")
    fan = inbox.author(workspace_a, handle="nadia@piaille.fr", display_name="Nadia")
    Author.objects.filter(pk=fan.pk).update(person=nadia.person)
    talk = inbox.conversation(channel_a, "Hello! Do you ship beans?", by=fan, kind=Kind.DIRECT)
    template = OutreachTemplate.objects.create(
        workspace=workspace_a, name="Hello", text="Hi {name}, {brand} would love to send you beans."
    )
    return nadia, talk, template


def _url(nadia, template) -> str:  # type: ignore[no-untyped-def]
    return reverse("engagement:relation_outreach", args=[nadia.pk, template.pk])


def test_sent_as_a_direct_message_and_recorded(
    alice_client, nadia_in_dm, standin, django_capture_on_commit_callbacks
):
    nadia, talk, template = nadia_in_dm
    page = alice_client.get(_url(nadia, template)).content.decode()
    assert f'name="conversation" value="{talk.pk}"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            _url(nadia, template), {"text": "Hi Nadia, beans?", "conversation": talk.pk}
        )

    assert response.status_code == 302
    sent = Message.objects.get(conversation=talk, direction=Direction.OUTGOING)
    assert "Hi Nadia, beans?" in sent.text
    assert sent.reply_target is not None and sent.reply_target.state == State.PUBLISHED
    assert standin.store.stats()["statuses"] == 1
    nadia.refresh_from_db()
    assert nadia.stage == Stage.CONTACTED
    assert RelationEvent.objects.filter(relation=nadia, kind=EventKind.OUTREACH).exists()


def test_a_channel_that_needs_reconnecting_is_not_offered(alice_client, nadia_in_dm, channel_a):
    nadia, talk, template = nadia_in_dm
    Channel.objects.filter(pk=channel_a.pk).update(status=ChannelStatus.NEEDS_RECONNECT)
    page = alice_client.get(_url(nadia, template)).content.decode()
    assert 'name="conversation"' not in page
    alice_client.post(_url(nadia, template), {"text": "Hi", "conversation": talk.pk})
    assert not Message.objects.filter(direction=Direction.OUTGOING).exists()
    assert not RelationEvent.objects.filter(kind=EventKind.OUTREACH).exists()


def test_someone_elses_conversation_cannot_be_used(alice_client, nadia_in_dm, channel_a):
    nadia, _talk, template = nadia_in_dm
    other = inbox.conversation(channel_a, "Unrelated", kind=Kind.DIRECT)
    alice_client.post(_url(nadia, template), {"text": "Hi", "conversation": other.pk})
    assert not Message.objects.filter(direction=Direction.OUTGOING).exists()
