"""Channels and inbox replies for the poll and question tests, made through Chorus's own code."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chorus.channels.base import AccountInfo, InboxItem
from chorus.channels.models import Channel
from chorus.inbox import ingest
from chorus.workspaces.models import Workspace
from tests.channels.telegram.loopback import Answer, LoopbackApi
from tests.channels.telegram.telegram_bot import CHANNEL, TOKEN, channel_message

WHEN = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def telegram_channel(workspace: Workspace, api: LoopbackApi) -> Channel:
    channel = Channel(
        workspace=workspace,
        network="telegram",
        name="VVV talk",
        remote_id=str(CHANNEL),
        settings={"chat_id": str(CHANNEL), "api_root": api.url},
    )
    channel.credentials = {"bot_token": TOKEN}
    channel.save()
    return channel


def bluesky_channel(workspace: Workspace, name: str = "BrandSky") -> Channel:
    """A Bluesky channel: polls there are counted from inbox replies (never called here)."""
    channel = Channel(
        workspace=workspace, network="bluesky", name=name, remote_id=f"did:plc:{name.lower()}"
    )
    channel.credentials = {"identifier": "brand.test", "password": "x"}
    channel.save()
    return channel


def sent_poll(message_id: int, options: list[str]) -> Answer:
    """sendPoll's answer: the recorded channel message carrying a Bot API ``Poll`` object
    (documented shape: id, question, options with text and voter_count, total_voter_count,
    is_closed, is_anonymous, type, allows_multiple_answers)."""
    poll = poll_object(options, [0] * len(options), closed=False)
    return Answer(200, {"ok": True, "result": channel_message(message_id, poll=poll)})


def poll_object(options: list[str], votes: list[int], *, closed: bool) -> dict[str, Any]:
    return {
        "id": "5843285283848814598",
        "question": "Which flavour next?",
        "options": [{"text": t, "voter_count": v} for t, v in zip(options, votes, strict=True)],
        "total_voter_count": sum(votes),
        "is_closed": closed,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
    }


def reply(channel: Channel, remote_id: str, author: str, text: str, minute: int) -> None:
    """A reply to ``remote_id`` as the channel's inbox would receive it (through ingest)."""
    item = InboxItem(
        remote_id=f"at://did:plc:{author}/app.bsky.feed.post/{minute}",
        kind="reply",
        conversation_id=remote_id,
        author=AccountInfo(remote_id=f"did:plc:{author}", handle=f"{author}.test"),
        text=text,
        created_at=WHEN.replace(minute=minute),
        in_reply_to=remote_id,
    )
    ingest.ingest(channel, [item])


def ok_poll(poll: dict[str, Any]) -> Answer:
    return Answer(200, {"ok": True, "result": poll})
