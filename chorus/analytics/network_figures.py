"""Which figures each network gives, how they are stored, and what "engagements" sums there.

One place, read by collection (to store a reading) and by the pages (to say what a figure is,
and which ones a network cannot give: "not available", never 0). It is derived from what the
network declares (``Network.post_metrics`` / ``account_metrics``), so a new network plugs in
by declaring its figures; only its note (what it cannot read) is written here by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chorus.analytics.models import POST_FIGURES
from chorus.channels.base import Capability
from chorus.channels.registry import UnknownNetwork, get_network

# The interactions a person made with a post: their sum is the post's engagements. Views,
# impressions and reach are audience, not interactions, so they are left out.
ENGAGEMENT_FIGURES = ("likes", "shares", "replies", "quotes", "reactions", "saves", "clicks")

# A network's own name for a figure -> the column it is stored in. Where a network gives both
# a combined and a detailed figure (Bluesky's "shares" = reposts + quotes), the detailed one
# wins, so quotes are never counted twice in the engagements.
STORED_AS = {"reposts": "shares", "boosts": "shares", "favourites": "likes", "bookmarks": "saves"}

# Account figures that mean "the audience" (followers of an account, members of a room).
AUDIENCE_FIGURES = ("followers", "members")

FIGURE_LABELS: dict[str, Promise] = {
    "likes": _("Likes"),
    "shares": _("Shares"),
    "replies": _("Replies"),
    "quotes": _("Quotes"),
    "reactions": _("Reactions"),
    "views": _("Views"),
    "impressions": _("Impressions"),
    "reach": _("Reach"),
    "clicks": _("Clicks"),
    "saves": _("Saves"),
    "followers": _("Followers"),
    "members": _("Members"),
}

# What each network cannot give, in words for the pages. A network without a note here
# gets the generic sentence of ``NetworkFigures.note``.
NOTES: dict[str, Promise] = {
    "mastodon": _(
        "Mastodon gives favourites, boosts, replies and (on servers that have them) quotes, "
        "and the account's followers. It gives no views, impressions or reach."
    ),
    "bluesky": _(
        "Bluesky gives likes, reposts, replies, quotes and bookmarks, and the account's "
        "followers. It publishes no views, impressions or reach."
    ),
    "matrix": _(
        "Matrix gives the room's joined members and, for Chorus's own messages, the reactions "
        "and replies counted in the room. It has no likes, shares or views."
    ),
    "telegram": _(
        "The Telegram Bot API gives the chat's member count only: a bot cannot read the views, "
        "reactions or forwards of channel posts."
    ),
    "discord": _(
        "Discord webhooks cannot read anything back: no figures for posts or for the server."
    ),
}


@dataclass(frozen=True)
class NetworkFigures:
    key: str
    label: str
    post_figures: tuple[str, ...]  # columns of PostMetrics the network fills
    account_figures: tuple[str, ...]  # "followers", "members"…
    engagement_parts: tuple[str, ...]  # which of post_figures the engagements sum
    note: str | Promise

    @property
    def reads_posts(self) -> bool:
        return bool(self.post_figures)

    @property
    def reads_anything(self) -> bool:
        return bool(self.post_figures or self.account_figures)

    @property
    def engagements_formula(self) -> str:
        """``Likes + Shares + Replies``, in the person's language."""
        return " + ".join(str(FIGURE_LABELS[name]) for name in self.engagement_parts)

    def gives(self, figure: str) -> bool:
        return figure in self.post_figures or figure in self.account_figures


def stored_columns(declared: frozenset[str]) -> tuple[str, ...]:
    """The PostMetrics columns a network's declared post figures fill, in the table's order."""
    columns = {STORED_AS.get(name, name) for name in declared}
    return tuple(name for name in POST_FIGURES if name in columns)


@cache
def figures_of_network(key: str) -> NetworkFigures:
    """What the network ``key`` gives (nothing for an unknown network)."""
    try:
        network = get_network(key)
    except UnknownNetwork:
        return NetworkFigures(key, key, (), (), (), _("Chorus does not know this network."))
    reads = network.can(Capability.METRICS)
    post = stored_columns(network.post_metrics) if reads else ()
    account = tuple(n for n in sorted(network.account_metrics) if reads)
    note = NOTES.get(key) or _("%(network)s gives no figures Chorus can read.") % {
        "network": network.label
    }
    return NetworkFigures(
        key=key,
        label=network.label,
        post_figures=post,
        account_figures=account,
        engagement_parts=tuple(name for name in ENGAGEMENT_FIGURES if name in post),
        note=note,
    )


def row_figures(key: str, reading: dict[str, int]) -> dict[str, Any]:
    """One post's reading as PostMetrics columns; a column the network does not give is None."""
    figures = figures_of_network(key)
    row: dict[str, Any] = dict.fromkeys(POST_FIGURES)
    detailed = {STORED_AS[name] for name in reading if name in STORED_AS}
    for name, value in reading.items():
        column = STORED_AS.get(name, name)
        if column not in figures.post_figures:
            continue
        if name == column and column in detailed:
            continue  # a combined figure, when the detailed one is there
        row[column] = value
    return row


def engagements(key: str, row: dict[str, Any]) -> int | None:
    """The sum of the interactions the network gives; None when it gives none of them."""
    parts = figures_of_network(key).engagement_parts
    values = [row[name] for name in parts if row.get(name) is not None]
    return sum(values) if values else None


def audience(account: dict[str, int]) -> int | None:
    """Followers of an account, or members of a room or chat, from an account reading."""
    return next((account[name] for name in AUDIENCE_FIGURES if name in account), None)
