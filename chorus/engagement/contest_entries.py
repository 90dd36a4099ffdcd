"""A contest's entries: every answer to its posts and every mention of its hashtag, each with why
it counts or not.

An entrant is named ``network:author_id`` (the canonical id of chorus-draw-v1). Linked identities
(``people.Person``) are one person: their first counting entry is the one that counts, the others
are "duplicate of" it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from chorus.channels.models import Channel
from chorus.engagement.models import Contest, EntryExclusion
from chorus.inbox.models import Direction, Message
from chorus.listening.models import Mention
from chorus.people.models import Author


@dataclass
class Entry:
    entry_id: str  # network:author_id, what the draw sees
    network: str
    handle: str
    text: str
    at: datetime
    url: str
    conversation_id: int | None  # the inbox conversation, for answers to our posts
    message_id: int | None
    person_key: str
    counts: bool = True
    reason: str = ""
    excluded_by_hand: bool = False


@dataclass
class EntryList:
    entries: list[Entry]

    @property
    def counting(self) -> list[Entry]:
        return [e for e in self.entries if e.counts]

    @property
    def counting_ids(self) -> list[str]:
        return [e.entry_id for e in self.counting]

    @property
    def not_counting(self) -> int:
        return len(self.entries) - len(self.counting)


def entry_id_of(author: Author) -> str:
    return f"{author.network}:{author.remote_id}"


def entries_of(contest: Contest) -> EntryList:
    entries = sorted(_from_posts(contest) + _from_hashtag(contest), key=lambda e: e.at)
    _judge(contest, entries)
    return EntryList(entries)


def _from_posts(contest: Contest) -> list[Entry]:
    threads = Q()
    for target in contest.posts.exclude(remote_id="").only("channel_id", "remote_id"):
        threads |= Q(
            conversation__channel_id=target.channel_id, conversation__remote_id=target.remote_id
        )
    if not threads:
        return []
    messages = Message.objects.filter(
        threads, workspace_id=contest.workspace_id, direction=Direction.INCOMING, deleted=False
    ).select_related("author")
    return [
        _entry(m.author, m.text, m.created_at, m.url, m.conversation_id, m.pk)
        for m in messages
        if m.author
    ]


def _from_hashtag(contest: Contest) -> list[Entry]:
    tag = contest.hashtag.strip().lstrip("#")
    if not tag:
        return []
    mentions = Mention.objects.filter(
        workspace_id=contest.workspace_id, text__icontains=f"#{tag}", author__isnull=False
    ).select_related("author")
    return [
        _entry(m.author, m.text, m.published_at, m.url, None, None) for m in mentions if m.author
    ]


def _entry(
    author: Author, text: str, at: datetime, url: str, conversation: int | None, message: int | None
) -> Entry:
    return Entry(
        entry_id=entry_id_of(author),
        network=author.network,
        handle=author.handle or author.display_name or author.remote_id,
        text=text,
        at=at,
        url=url,
        conversation_id=conversation,
        message_id=message,
        person_key=f"person:{author.person_id}" if author.person_id else entry_id_of(author),
    )


def _judge(contest: Contest, entries: Iterable[Entry]) -> None:
    """Each entry's verdict, in the order of the checks a person would make."""
    excluded = {x.entry_id: x.reason for x in EntryExclusion.objects.filter(contest=contest)}
    team = contest.handles("team_handles") | _own_accounts(contest)
    blocked = contest.handles("blocklist")
    keyword = contest.keyword.strip().lower()
    first_of_person: dict[str, Entry] = {}
    for entry in entries:
        plain = entry.handle.lstrip("@").lower()
        if entry.entry_id in excluded:
            entry.counts, entry.excluded_by_hand = False, True
            entry.reason = _("Excluded by hand: %(reason)s") % {"reason": excluded[entry.entry_id]}
        elif not contest.opens_at <= entry.at <= contest.closes_at:
            entry.counts, entry.reason = False, _("Outside the contest's period")
        elif plain in team or entry.entry_id.split(":", 1)[1].lower() in team:
            entry.counts, entry.reason = False, _("Team member")
        elif plain in blocked:
            entry.counts, entry.reason = False, _("Blocklisted")
        elif keyword and keyword not in entry.text.lower():
            entry.counts, entry.reason = False, _("Keyword missing")
        elif entry.person_key in first_of_person:
            first = first_of_person[entry.person_key]
            entry.counts = False
            entry.reason = _("Duplicate of %(entrant)s") % {"entrant": first.handle}
        else:
            first_of_person[entry.person_key] = entry


def _own_accounts(contest: Contest) -> set[str]:
    """The workspace's own accounts never win its contests."""
    own: set[str] = set()
    for handle, remote_id in Channel.objects.filter(workspace_id=contest.workspace_id).values_list(
        "handle", "remote_id"
    ):
        own |= {h.lstrip("@").lower() for h in (handle, remote_id) if h}
    return own
