"""The inbox side of an Instagram account: comments, replies and mentions read by polling,
answers, and moderation (hide, unhide, delete a comment).

Meta's webhooks bring the same comments in real time (the metahooks package); polling is the
fallback and names everything the same way (:mod:`.inbox`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from chorus.channels.base import InboxItem, InboxPage, PublishedPost
from chorus.channels.errors import Permanent
from chorus.channels.networks.instagram import inbox
from chorus.channels.networks.meta.graph import Graph

COMMENT_FIELDS = (
    "id,text,timestamp,username,from,parent_id,replies{id,text,timestamp,username,from,parent_id}"
)
TAGGED_FIELDS = "id,caption,permalink,timestamp,username,media_type,media_url,thumbnail_url"
# Meta's permission for reading and moderating comments; without it the buttons are not shown.
COMMENTS_SCOPE = "instagram_manage_comments"
MODERATION_VERBS = frozenset({"hide", "unhide", "redact"})


class Conversations:
    """Mixed into the connection, which gives ``graph`` and ``ig_user_id``."""

    graph: Graph
    credentials: dict[str, Any]
    inbox_media: ClassVar[int] = 10  # the latest posts whose comments each poll reads
    comment_pages: ClassVar[int] = 2  # of 50 comments each, per post and poll

    def ig_user_id(self) -> str:
        raise NotImplementedError  # the connection's

    # -- reading --------------------------------------------------------------------------------

    def fetch_inbox(self, cursor: str = "") -> InboxPage:
        """Comments and replies on the latest posts, and posts the account is tagged in. The
        cursor is the newest time seen; older items are left out (the inbox has them)."""
        since = _parse(cursor)
        items = self._comments() + self._tagged()
        fresh = [item for item in items if since is None or item.created_at >= since]
        newest = max((item.created_at for item in items), default=since)
        return InboxPage(items=fresh, cursor=newest.isoformat() if newest else cursor)

    def _comments(self) -> list[InboxItem]:
        answer = self.graph.get(
            f"{self.ig_user_id()}/media",
            fields="id,permalink,comments_count",
            limit=self.inbox_media,
        )
        found: list[InboxItem] = []
        for media in answer.get("data") or []:
            if (
                not isinstance(media, dict)
                or not media.get("id")
                or media.get("comments_count") == 0
            ):
                continue
            comments = list(
                self.graph.pages(
                    f"{media['id']}/comments",
                    limit=50,
                    max_pages=self.comment_pages,
                    fields=COMMENT_FIELDS,
                )
            )
            found += inbox.items_from_comments(
                comments, str(media["id"]), str(media.get("permalink") or "")
            )
        return found

    def _tagged(self) -> list[InboxItem]:
        """Posts by others that tag the account. Captions and comments that @mention it come
        by webhook only (Meta has no list of them to poll)."""
        try:
            answer = self.graph.get(f"{self.ig_user_id()}/tags", fields=TAGGED_FIELDS, limit=25)
        except Permanent:  # a token without the permission: comments still come in
            return []
        return [
            inbox.item_from_mentioned_media(media)
            for media in answer.get("data") or []
            if isinstance(media, dict) and media.get("id")
        ]

    def mentioned_comment(self, comment_id: str, media_id: str = "") -> InboxItem:
        """A comment that @mentions the account, as a webhook names it (``comment_id``)."""
        field = (
            f"mentioned_comment.comment_id({comment_id})"
            "{id,text,timestamp,username,media{id,permalink}}"
        )
        return inbox.item_from_mentioned_comment(
            self.graph.get(self.ig_user_id(), fields=field), media_id
        )

    def mentioned_media(self, media_id: str) -> InboxItem:
        """A post whose caption @mentions the account, as a webhook names it (``media_id``)."""
        field = (
            f"mentioned_media.media_id({media_id})"
            "{id,caption,timestamp,username,media_type,media_url,permalink}"
        )
        return inbox.item_from_mentioned_media(self.graph.get(self.ig_user_id(), fields=field))

    # -- answering ------------------------------------------------------------------------------

    def comment(self, reply_to: str, text: str) -> PublishedPost:
        """An answer under a comment (``/{comment}/replies``), or a comment under one of the
        account's posts (``/{media}/comments``: the first comment). Which one ``reply_to`` is,
        Meta says: only a post has a ``media_type``."""
        if self._is_media(reply_to):
            answer = self.graph.post(f"{reply_to}/comments", message=text)
        else:
            answer = self.graph.post(f"{reply_to}/replies", message=text)
        remote_id = str(answer.get("id") or "")
        if not remote_id:
            raise Permanent("Instagram did not say which comment it made.")
        return PublishedPost(remote_id=remote_id, text=text)

    def _is_media(self, remote_id: str) -> bool:
        try:
            found = self.graph.get(remote_id, fields="id,media_type")
        except Permanent:  # a comment has no media_type: Meta refuses the field
            return False
        return bool(found.get("media_type"))

    # -- moderation -----------------------------------------------------------------------------

    def hide(self, remote_id: str) -> None:
        self.graph.post(remote_id, hide=True)

    def unhide(self, remote_id: str) -> None:
        self.graph.post(remote_id, hide=False)

    def redact(self, remote_id: str, reason: str = "") -> None:
        """Delete someone's comment on the account's post (Instagram keeps no reason)."""
        self.graph.delete(remote_id)

    def refused_verbs(self) -> frozenset[str]:
        """Without ``instagram_manage_comments`` granted, no moderation and no answers. Read on
        the user token (a Page token has no permission list of its own)."""
        token = str(self.credentials.get("user_token") or "")
        if not token:
            return frozenset()
        user = Graph(token)
        try:
            granted = user.get("me/permissions")
        finally:
            user.close()
        for entry in granted.get("data") or []:
            if (
                isinstance(entry, dict)
                and entry.get("permission") == COMMENTS_SCOPE
                and entry.get("status") == "granted"
            ):
                return frozenset()
        return MODERATION_VERBS


def _parse(cursor: str) -> datetime | None:
    try:
        return datetime.fromisoformat(cursor) if cursor else None
    except ValueError:
        return None
