"""A poll's combined result, its chart, and the results post drafted at closing.

The combined result adds the networks that show their counts; a network that hides them until
closing (Telegram, a Mastodon poll with hidden totals) is listed as "not available" and left
out of the sum, never counted as zero. Each network's voters are distinct people on that network
only: the same person voting on two networks counts twice, as Chorus cannot know it is them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from chorus.engagement.models.polls import Poll, PollTally
from chorus.publishing.models import Post
from chorus.publishing.services import create_post, wait_for_approval

# The house chart colours (chorus/analytics/charts.py; analytics comes after engagement).
BRAND, GRID, INK = "#4f46e5", "#e5e7eb", "#6b7280"
WIDTH, BAR, GAP, LABEL = 640, 22, 12, 200


@dataclass(frozen=True)
class OptionResult:
    title: str
    votes: int
    share: float  # 0..1 of the counted votes


@dataclass(frozen=True)
class NetworkResult:
    channel: str
    network: str
    counted_by: str  # in words
    counts: list[int] | None  # None: not available (hidden, or not read yet)
    voters: int | None
    state: str
    read_at: datetime | None
    final: bool
    error: str
    titles: list[str]

    @property
    def rows(self) -> list[tuple[str, int]]:
        return list(zip(self.titles, self.counts or [], strict=False))


@dataclass(frozen=True)
class Results:
    options: list[OptionResult]
    total: int
    networks: list[NetworkResult]

    @property
    def incomplete(self) -> bool:
        return any(network.counts is None for network in self.networks)


def results_of(poll: Poll) -> Results:
    tallies = list(poll.tallies.select_related("target__channel"))
    networks = [_network_result(tally, poll.options) for tally in tallies]
    sums = [0] * len(poll.options)
    for network in networks:
        for n, votes in enumerate(network.counts or []):
            if n < len(sums):
                sums[n] += votes
    total = sum(sums)
    options = [
        OptionResult(title, votes, votes / total if total else 0.0)
        for title, votes in zip(poll.options, sums, strict=True)
    ]
    return Results(options=options, total=total, networks=networks)


def _network_result(tally: PollTally, titles: list[str]) -> NetworkResult:
    channel = tally.target.channel
    readable = tally.read_at is not None and not tally.hidden and bool(tally.counts)
    return NetworkResult(
        channel=channel.name,
        network=channel.network,
        counted_by=tally.get_counted_by_display(),
        counts=[int(c or 0) for c in tally.counts] if readable else None,
        voters=tally.voters if readable else None,
        state=tally.target.get_state_display(),
        read_at=tally.read_at,
        final=tally.final,
        error=tally.error,
        titles=list(titles),
    )


def chart(poll: Poll, results: Results) -> SafeString:
    """Horizontal bars, one per choice, labelled with the choice and its share (every text
    escaped: choices are the team's words, but they end up on networks and back)."""
    key = uuid.uuid4().hex[:8]
    height = len(results.options) * (BAR + GAP) + GAP
    room = WIDTH - LABEL - 90
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="t{key} d{key}" '
        'font-family="sans-serif" font-size="12">',
        f'<title id="t{key}">{escape(poll.question)}</title>'
        f'<desc id="d{key}">{escape(_("Votes per choice, all networks together"))}</desc>',
    ]
    for n, option in enumerate(results.options):
        y = GAP + n * (BAR + GAP)
        width = room * option.share
        title = option.title if len(option.title) <= 30 else option.title[:29] + "…"
        parts.append(
            f'<text x="{LABEL - 8}" y="{y + 15}" text-anchor="end" fill="{INK}">'
            f"{escape(title)}</text>"
            f'<rect x="{LABEL}" y="{y}" width="{room}" height="{BAR}" fill="{GRID}" rx="3"/>'
            f'<rect x="{LABEL}" y="{y}" width="{width:.1f}" height="{BAR}" fill="{BRAND}" rx="3"/>'
            f'<text x="{LABEL + room + 8}" y="{y + 15}" fill="{INK}">'
            f"{option.share:.0%} ({option.votes})</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


@transaction.atomic
def draft_results_post(poll: Poll) -> Post | None:
    """The "here are the results" post, on the poll's channels, awaiting a person's approval.

    Written in the workspace's main language. Its author is left empty: Chorus wrote it, so
    anyone allowed to approve may approve it (nobody approves their own words).
    """
    if poll.results_post_id is not None or poll.created_by is None:
        return None
    results = results_of(poll)
    with translation.override(poll.workspace.language):
        text = results_text(poll, results)
    channels = [tally.target.channel for tally in poll.tallies.select_related("target__channel")]
    post = create_post(poll.workspace, poll.created_by, text, channels)
    Post.objects.filter(pk=post.pk).update(author=None, needs_approval=True)
    for target in post.targets.all():
        wait_for_approval(target)
    Poll.objects.filter(pk=poll.pk).update(results_post=post)
    poll.results_post = post
    return post


def results_text(poll: Poll, results: Results) -> str:
    lines = [_("Results of our poll: %(question)s") % {"question": poll.question}, ""]
    for option in results.options:
        lines.append(
            _("%(choice)s: %(share)s (%(votes)d votes)")
            % {"choice": option.title, "share": f"{option.share:.0%}", "votes": option.votes}
        )
    lines += [
        "",
        _("%(total)d votes in all. Thank you for taking part!") % {"total": results.total},
    ]
    return "\n".join(lines)
