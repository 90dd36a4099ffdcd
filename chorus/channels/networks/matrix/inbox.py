"""Room events (from ``/sync`` or ``/messages``) turned into inbox items.

Pure functions over the JSON the homeserver sent, so they are tested on recorded bodies as well as
on a live Synapse. Events are untrusted input: anything malformed is skipped, never a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from chorus.channels.base import Author, InboxItem

from .api import part
from .attachments import media_of

Event = dict[str, Any]
# Message types a person writes. m.notice is left out on purpose: the spec reserves it for bots,
# and answering a bot's notice is how two bots end up talking to each other forever.
PERSON_MSGTYPES = {"m.text", "m.emote", "m.image", "m.file", "m.video", "m.audio", "m.location"}


def dig(body: Any, *keys: str) -> dict[str, Any]:
    """The object at ``keys`` in a JSON body, or an empty one if any step has the wrong shape."""
    for key in keys:
        body = body.get(key) if isinstance(body, dict) else None
    return body if isinstance(body, dict) else {}


def events_in(value: Any) -> list[Event]:
    """The event objects in a JSON list (a ``chunk`` or ``events``), skipping anything else."""
    return [event for event in value if isinstance(event, dict)] if isinstance(value, list) else []


def permalink(room_id: str, event_id: str = "") -> str:
    """A matrix.to link, which opens the room or message in whatever client the reader uses."""
    link = f"https://matrix.to/#/{part(room_id)}"
    return f"{link}/{part(event_id)}" if event_id else link


def event_time(event: Event) -> datetime:
    stamp = event.get("origin_server_ts")
    millis = stamp if isinstance(stamp, int | float) else 0
    return datetime.fromtimestamp(millis / 1000, tz=UTC)


def relates_to(event: Event) -> dict[str, Any]:
    content = event.get("content")
    relation = content.get("m.relates_to") if isinstance(content, dict) else None
    return relation if isinstance(relation, dict) else {}


def thread_root(event: Event) -> str:
    relation = relates_to(event)
    return str(relation.get("event_id", "")) if relation.get("rel_type") == "m.thread" else ""


def reply_target(event: Event) -> str:
    """The message this one answers: its m.in_reply_to, or in a thread, the thread's root."""
    in_reply_to = relates_to(event).get("m.in_reply_to")
    if isinstance(in_reply_to, dict) and isinstance(in_reply_to.get("event_id"), str):
        return str(in_reply_to["event_id"])
    return thread_root(event)


# A reply chain is walked up at most this far to find the message it started from; a longer one
# (rare, and each step may cost a request) becomes a conversation from where the walk stopped.
MAX_CHAIN = 25


def parent_of(event: Event) -> str:
    """The message this one hangs from: a thread's root (not the thread message it quotes),
    else the message it replies to; "" for a top-level message."""
    return thread_root(event) or reply_target(event)


def conversation_root(event: Event, lookup: Callable[[str], Event | None]) -> str:
    """The conversation of ``event``: the top-level message its reply chain or thread started
    from (``lookup`` finds an event by id, None if it is gone or hidden from us)."""
    current, parent = str(event.get("event_id", "")), parent_of(event)
    for _ in range(MAX_CHAIN):
        if not parent:
            return current
        found = lookup(parent)
        current, parent = parent, (parent_of(found) if found is not None else "")
    return current


def strip_reply_fallback(body: str) -> str:
    """Drop the quoted "> <@someone> …" lines older clients put before the reply itself."""
    lines = body.split("\n")
    if not lines or not lines[0].startswith("> "):
        return body
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).lstrip("\n")


def is_redacted(event: Event) -> bool:
    unsigned = event.get("unsigned")
    if isinstance(unsigned, dict) and unsigned.get("redacted_because"):
        return True
    content = event.get("content")
    return not isinstance(content, dict) or not content


def redacted_ids(event: Event) -> str:
    """The event a redaction removes: top-level before room version 11, in content after."""
    content = event.get("content") if isinstance(event.get("content"), dict) else {}
    return str(event.get("redacts") or (content or {}).get("redacts") or "")


def display_names(events: Iterable[Any]) -> dict[str, str]:
    """User id -> display name, from the membership events the homeserver sent along."""
    names: dict[str, str] = {}
    for event in events:
        if not isinstance(event, dict) or event.get("type") != "m.room.member":
            continue
        content = event.get("content")
        name = content.get("displayname") if isinstance(content, dict) else None
        if isinstance(name, str) and name and isinstance(event.get("state_key"), str):
            names[event["state_key"]] = name
    return names


def is_person_message(event: Any) -> bool:
    if not isinstance(event, dict) or "state_key" in event:
        return False
    if event.get("type") != "m.room.message" or is_redacted(event):
        return False
    content = event["content"]
    return (
        isinstance(event.get("event_id"), str)
        and isinstance(event.get("sender"), str)
        and isinstance(content.get("body"), str)
        and content.get("msgtype") in PERSON_MSGTYPES
    )


def settle_page(events: Iterable[Any]) -> list[Event]:
    """The page's messages as they stand now: edits applied, redacted ones removed.

    An edit (m.replace) only counts when its sender wrote the original: the server does not
    enforce that, and otherwise anyone could put words in someone else's mouth. Edits and
    redactions of messages from an earlier page are not reported (InboxItem has no way to say it).
    """
    messages: dict[str, Event] = {}
    for event in events:
        if isinstance(event, dict) and event.get("type") == "m.room.redaction":
            messages.pop(redacted_ids(event), None)
        elif is_person_message(event) and relates_to(event).get("rel_type") == "m.replace":
            _apply_edit(messages, event)
        elif is_person_message(event):
            messages[event["event_id"]] = event
    return list(messages.values())


def _apply_edit(messages: dict[str, Event], edit: Event) -> None:
    original = messages.get(str(relates_to(edit).get("event_id", "")))
    new_content = edit["content"].get("m.new_content")
    if original is None or original["sender"] != edit["sender"]:
        return
    if isinstance(new_content, dict) and isinstance(new_content.get("body"), str):
        edited = {**original["content"], "body": new_content["body"]}
        messages[original["event_id"]] = {**original, "content": edited}


def inbox_items(
    events: Iterable[Any],
    *,
    room_id: str,
    own_user_id: str,
    is_ours: Callable[[str], bool],
    lookup: Callable[[str], Event | None] | None = None,
    names: dict[str, str] | None = None,
) -> list[InboxItem]:
    """Messages from other people, oldest first; ``is_ours`` says whether an event id is ours,
    ``lookup`` finds an earlier event to place a reply in its conversation.

    A busy room is a place, not one conversation: each top-level message starts one, replies and
    thread messages join the one of the message they answer (ours included: answers to one of
    our posts are that post's conversation, named by its event id).
    """
    settled = settle_page(events)
    on_page = {event["event_id"]: event for event in settled}
    find = lookup or on_page.get
    items = []
    for event in settled:
        if event["sender"] == own_user_id:
            continue
        items.append(_inbox_item(event, room_id, is_ours, find, names or {}))
    return items


def _inbox_item(
    event: Event,
    room_id: str,
    is_ours: Callable[[str], bool],
    lookup: Callable[[str], Event | None],
    names: dict[str, str],
) -> InboxItem:
    target = reply_target(event)
    root = thread_root(event)
    answers_us = bool(target) and (is_ours(target) or bool(root and is_ours(root)))
    body = event["content"]["body"]
    sender = event["sender"]
    return InboxItem(
        remote_id=event["event_id"],
        kind="reply" if answers_us else "comment",
        conversation_id=conversation_root(event, lookup),
        author=Author(
            remote_id=sender,
            handle=sender,
            display_name=names.get(sender, ""),
            url=f"https://matrix.to/#/{part(sender)}",
        ),
        text=strip_reply_fallback(body) if target else body,
        created_at=event_time(event),
        in_reply_to=target,
        url=permalink(room_id, event["event_id"]),
        media=media_of(event["content"]),
    )
