"""Today: "Conversations waiting", overdue first, then the ones assigned to me."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.inbox.models import Status
from tests.inbox import factories

pytestmark = pytest.mark.django_db


def test_waiting_conversations_overdue_first_then_mine(
    alice, bob, alice_client, workspace_a
) -> None:  # type: ignore[no-untyped-def]
    channel = factories.channel(workspace_a)
    now = timezone.now()
    calm = factories.conversation(channel, "calm one", response_due_at=now + timedelta(hours=3))
    mine = factories.conversation(channel, "mine one", assignee=alice)
    late = factories.conversation(channel, "late one", response_due_at=now - timedelta(hours=1))
    factories.conversation(channel, "closed one", status=Status.RESOLVED)

    section = next(s for s in alice_client.get("/today/").context["sections"] if s.key == "inbox")
    urls = [item["url"] for item in section.items]
    assert urls == [f"/inbox/{late.pk}/", f"/inbox/{mine.pk}/", f"/inbox/{calm.pk}/"]
    assert section.items[0]["meta"] == "overdue"


def test_the_section_escapes_and_stays_in_its_workspace(
    alice_client, workspace_a, workspace_c
) -> None:  # type: ignore[no-untyped-def]
    fan = factories.author(workspace_a, display_name="<b>Eve</b>")
    factories.conversation(factories.channel(workspace_a), "<script>x</script>", by=fan)
    factories.conversation(factories.channel(workspace_c), "charlie's secret")
    body = alice_client.get("/today/").content.decode()
    assert "&lt;b&gt;Eve&lt;/b&gt;" in body and "<b>Eve</b>" not in body
    assert "<script>x</script>" not in body
    assert "charlie&#x27;s secret" not in body and "charlie's secret" not in body


def test_all_clear_when_nobody_waits(alice_client) -> None:  # type: ignore[no-untyped-def]
    assert "Nobody is waiting for an answer." in alice_client.get("/today/").content.decode()


def test_the_demo_inbox_looks_alive_and_cannot_send(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo draws its images
    from chorus.channels.models import ChannelStatus
    from chorus.inbox.models import Conversation, Rule, SavedReply
    from chorus.today.demo import create_demo

    workspace, _password = create_demo("demo pass phrase 1")
    talks = Conversation.objects.filter(workspace=workspace)
    assert talks.count() >= 15
    assert {"negative", "neutral", "positive"} <= set(talks.values_list("sentiment", flat=True))
    assert {"fr", "en"} <= set(talks.values_list("language", flat=True))
    assert Rule.objects.filter(workspace=workspace).exists()
    assert SavedReply.objects.filter(workspace=workspace).count() >= 2
    channel = talks.first().channel
    assert channel.status == ChannelStatus.NEEDS_RECONNECT and channel.credentials == {}
