"""Hiding a reply on Bluesky: the thread's author lists it in the root post's thread gate.

Bluesky has no "hide" call. The author of a thread keeps an ``app.bsky.feed.threadgate`` record
in their own repository, under the rkey of the thread's root post; its ``hiddenReplies`` lists
the at-uris of the replies Bluesky folds away under "hidden replies". So only the author of the
thread can hide in it, and a reply in someone else's thread is refused before anything is written
(the PDS itself would accept the record, and it would do nothing).

The same record says who may reply (``allow``), which the person may have set in the Bluesky
app. It is read, changed and written back whole, with ``swapRecord`` set to the version read
(or null: "must not exist yet"), so a second hide or a change of reply settings between our read
and our write makes the PDS refuse ours with ``InvalidSwap``; we then read again and redo it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from chorus.channels.errors import Permanent, Transient

from .records import POST, AtUri, now_iso
from .xrpc import Refused, Session

THREADGATE = "app.bsky.feed.threadgate"
MAX_HIDDEN_REPLIES = 300  # app.bsky.feed.threadgate: hiddenReplies maxLength (the app's too)
SWAP_ATTEMPTS = 3  # each lost race means someone else wrote in between: rare, and it settles


@dataclass(frozen=True)
class Reply:
    uri: str  # as the PDS names it: with the author's DID, as hiddenReplies must list it
    root: AtUri  # the post that started the thread


@dataclass(frozen=True)
class Gate:
    """The thread gate as read; ``cid`` None means the thread has none yet."""

    value: dict[str, Any] | None
    cid: str | None

    @property
    def hidden(self) -> list[str]:
        listed = (self.value or {}).get("hiddenReplies")
        return [u for u in listed if isinstance(u, str)] if isinstance(listed, list) else []


def set_hidden(session: Session, reply_uri: str, *, hidden: bool) -> None:
    """Hide (or show again) one reply in a thread this account started. Doing it twice is fine."""
    reply = find_reply(session, reply_uri)
    if reply is None:
        if hidden:
            raise Permanent(_("This reply is no longer on Bluesky."))
        return  # deleted since: nobody can see it, there is nothing to show again
    check_thread_is_ours(session, reply.root)
    for _attempt in range(SWAP_ATTEMPTS):
        gate = read_gate(session, reply.root)
        changed = with_reply(gate, reply, hidden=hidden, as_given=reply_uri)
        if changed is None:
            return  # already as asked
        try:
            write_gate(session, reply.root, changed, swap=gate.cid)
            return
        except Refused as refused:
            if refused.error != "InvalidSwap":
                raise
    raise Transient(
        _("The thread's reply settings changed on Bluesky at the same moment; try again.")
    )


def find_reply(session: Session, uri: str) -> Reply | None:
    """The reply and its thread's root, from the reply's own record; None if it was deleted."""
    address = AtUri.parse(uri)
    if address.collection != POST:
        raise Permanent(_("This is not the address of a Bluesky post."), detail=uri)
    body = get_record(session, address)
    if body is None:
        return None
    value, found_uri = body.get("value"), body.get("uri")
    reply = value.get("reply") if isinstance(value, dict) else None
    root = reply.get("root") if isinstance(reply, dict) else None
    root_uri = root.get("uri") if isinstance(root, dict) else None
    if not isinstance(root_uri, str):
        raise Permanent(
            _("Bluesky can only hide replies, and this post does not answer any other post.")
        )
    return Reply(uri=found_uri if isinstance(found_uri, str) else uri, root=AtUri.parse(root_uri))


def check_thread_is_ours(session: Session, root: AtUri) -> None:
    if root.repo not in (session.did, session.handle) or root.collection != POST:
        raise Permanent(
            _(
                "On Bluesky only the account that started a thread can hide its replies, "
                "and this reply is in a thread started by another account."
            )
        )


def read_gate(session: Session, root: AtUri) -> Gate:
    body = get_record(session, AtUri(session.did, THREADGATE, root.rkey))
    if body is None:
        return Gate(value=None, cid=None)
    value, cid = body.get("value"), body.get("cid")
    if not isinstance(value, dict) or not isinstance(cid, str):
        raise Permanent(_("Bluesky sent an answer Chorus could not read."), detail="getRecord")
    return Gate(value=value, cid=cid)


def with_reply(gate: Gate, reply: Reply, *, hidden: bool, as_given: str) -> dict[str, Any] | None:
    """The gate record to write, or None when the reply is already hidden (or shown) as asked.

    Everything else in the record is kept as it is: who may reply, when it was created, fields
    a newer Bluesky app may have added.
    """
    listed = gate.hidden
    names = {reply.uri, as_given}  # the address we were given may name the author by handle
    if not hidden:
        if not names & set(listed):
            return None
        return {**(gate.value or {}), "hiddenReplies": [u for u in listed if u not in names]}
    if names & set(listed):
        return None
    if len(listed) >= MAX_HIDDEN_REPLIES:
        raise Permanent(
            _(
                "Bluesky hides at most %(limit)d replies in a thread, and this thread already "
                "has that many hidden. Show some of them again in Bluesky first."
            )
            % {"limit": MAX_HIDDEN_REPLIES}
        )
    record = gate.value or new_gate(reply.root)
    return {**record, "hiddenReplies": [*listed, reply.uri]}


def new_gate(root: AtUri) -> dict[str, Any]:
    # No "allow" at all: an absent list lets anyone reply, an empty one would let nobody.
    return {"$type": THREADGATE, "post": str(root), "createdAt": now_iso()}


def write_gate(session: Session, root: AtUri, record: dict[str, Any], *, swap: str | None) -> None:
    """putRecord, only if the gate is still the version read (swap None: only if there is none).

    An answer lost on the way back may hide a success; doing it again is harmless, since the
    next attempt reads the gate first.
    """
    session.call(
        "POST",
        "com.atproto.repo.putRecord",
        json={
            "repo": session.did,
            "collection": THREADGATE,
            "rkey": root.rkey,
            "record": record,
            "swapRecord": swap,
        },
        may_have_applied=True,
    )


def get_record(session: Session, address: AtUri) -> dict[str, Any] | None:
    """getRecord, or None when the record does not exist (not an error here)."""
    try:
        return session.call(
            "GET",
            "com.atproto.repo.getRecord",
            params={"repo": address.repo, "collection": address.collection, "rkey": address.rkey},
        )
    except Refused as refused:
        if refused.error == "RecordNotFound":
            return None
        raise
