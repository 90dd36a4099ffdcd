"""What a Matrix room can tell about our posts: its joined members, and for one of our events
the reactions and replies people gave it, counted from the room.

Reactions (``m.annotation``) and thread replies (``m.thread``) come from the relations API,
which the homeserver indexes. A plain reply (``m.in_reply_to`` without a thread) is not a
relation there, so it is found by reading the room forward from the event, for a bounded number
of pages: a reply written more than ``REPLY_SCAN_PAGES`` pages of messages later is not counted.
Our own events (the later parts of a thread, the bot's reactions) are not people's interactions.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from chorus.channels.base import PostMetrics
from chorus.channels.capabilities import Reaction
from chorus.channels.errors import Permanent

from .api import CLIENT, part

RELATIONS = "/_matrix/client/v1"
RELATIONS_PAGE = 100
RELATIONS_MAX_PAGES = 20  # 2,000 reactions and thread replies per post
REPLY_SCAN_PAGES = 5
REPLY_SCAN_PAGE = 100


class Figures:
    """Room figures, mixed into the Matrix connection."""

    if TYPE_CHECKING:

        def _call(self, method: str, path: str, **kw: Any) -> dict[str, Any]: ...

        def room_id(self) -> str: ...

        def user_id(self) -> str: ...

    def audience(self) -> dict[str, int]:
        """The room's joined members (the bot included: it is what the room shows)."""
        body = self._call("GET", f"{CLIENT}/rooms/{part(self.room_id())}/joined_members")
        joined = body.get("joined")
        return {"members": len(joined) if isinstance(joined, dict) else 0}

    def metrics(self, remote_id: str) -> PostMetrics:
        """Reactions and replies to our event ``remote_id``; a missing or deleted event is
        Permanent (the post is gone)."""
        after = self._token_after(remote_id)
        reactions, thread_replies = 0, 0
        for event in self._relations(remote_id):
            if event.get("sender") == self.user_id():
                continue
            kind = relation_of(event).get("rel_type")
            reactions += kind == "m.annotation"
            thread_replies += kind == "m.thread"
        replies = thread_replies + self._plain_replies(remote_id, after)
        return PostMetrics(likes=0, shares=0, replies=replies, extra={"reactions": reactions})

    def reactions(self, remote_id: str) -> list[Reaction]:
        """People's emoji on our event, oldest first (a poll tallied from reactions); the
        bot's own are left out, and a withdrawn (redacted) reaction is no longer listed."""
        found = []
        for event in self._relations(remote_id):
            relation = relation_of(event)
            key = relation.get("key")
            sender = event.get("sender")
            if relation.get("rel_type") != "m.annotation" or not isinstance(key, str):
                continue
            if isinstance(sender, str) and sender != self.user_id():
                found.append((_stamp(event), Reaction(sender=sender, key=key)))
        return [reaction for _, reaction in sorted(found, key=lambda pair: pair[0])]

    def _relations(self, event_id: str) -> list[dict[str, Any]]:
        room = part(self.room_id())
        found: list[dict[str, Any]] = []
        params: dict[str, str] = {"limit": str(RELATIONS_PAGE)}
        for _ in range(RELATIONS_MAX_PAGES):
            page = self._call(
                "GET", f"{RELATIONS}/rooms/{room}/relations/{part(event_id)}", params=params
            )
            found.extend(events_of(page))
            next_batch = page.get("next_batch")
            if not isinstance(next_batch, str) or not next_batch:
                break
            params["from"] = next_batch
        return found

    def _token_after(self, event_id: str) -> str:
        """Where the room goes on after the event; raises Permanent if it is gone."""
        context = self._call(
            "GET",
            f"{CLIENT}/rooms/{part(self.room_id())}/context/{part(event_id)}",
            params={"limit": "0"},
        )
        event = context.get("event")
        unsigned = event.get("unsigned") if isinstance(event, dict) else None
        if not isinstance(event, dict) or (
            isinstance(unsigned, dict) and "redacted_because" in unsigned
        ):
            raise Permanent("This message was deleted from the room.", detail=event_id)
        token = context.get("end")
        return token if isinstance(token, str) else ""

    def _plain_replies(self, event_id: str, token: str) -> int:
        """Replies outside threads, read forward from the event (bounded, see above)."""
        room = part(self.room_id())
        only_messages = json.dumps({"types": ["m.room.message"]})
        count = 0
        for _ in range(REPLY_SCAN_PAGES):
            if not token:
                break
            page = self._call(
                "GET",
                f"{CLIENT}/rooms/{room}/messages",
                params={
                    "dir": "f",
                    "from": token,
                    "limit": str(REPLY_SCAN_PAGE),
                    "filter": only_messages,
                },
            )
            count += sum(1 for event in events_of(page) if self._answers(event, event_id))
            end = page.get("end")
            token = end if isinstance(end, str) and end != token else ""
        return count

    def _answers(self, event: dict[str, Any], event_id: str) -> bool:
        relation = relation_of(event)
        if relation.get("rel_type") == "m.thread" or event.get("sender") == self.user_id():
            return False  # thread replies are counted from the relations
        in_reply_to = relation.get("m.in_reply_to")
        return isinstance(in_reply_to, dict) and in_reply_to.get("event_id") == event_id


def _stamp(event: dict[str, Any]) -> int:
    stamp = event.get("origin_server_ts")
    return stamp if isinstance(stamp, int) else 0


def events_of(page: dict[str, Any]) -> list[dict[str, Any]]:
    chunk = page.get("chunk")
    return [e for e in chunk if isinstance(e, dict)] if isinstance(chunk, list) else []


def relation_of(event: dict[str, Any]) -> dict[str, Any]:
    content = event.get("content")
    relation = content.get("m.relates_to") if isinstance(content, dict) else None
    return relation if isinstance(relation, dict) else {}
