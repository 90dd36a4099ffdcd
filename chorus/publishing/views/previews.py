"""What a variant will look like on its network: the cards of the composer's live preview.

The preview is built from what the person typed, before anything is saved, with the same
``problems_for`` the server applies when publishing: the preview can never promise more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from chorus.channels.base import Network
from chorus.channels.models import Channel
from chorus.publishing.composition import Composition
from chorus.publishing.forms import network_of
from chorus.publishing.models import Media
from chorus.publishing.problems import Problem
from chorus.publishing.validation import limits_of, thread_of

# Links, #hashtags and @mentions (@name or @name@server), as networks highlight them.
_TOKEN = re.compile(
    r"(?P<url>https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]»])"
    r"|(?P<tag>(?<![\w#&])#\w+)"
    r"|(?P<mention>(?<![\w@/])@[\w.-]*\w(?:@[\w.-]+\w)?)",
    re.UNICODE,
)


def highlight(text: str) -> SafeString:
    """The text escaped, with links (``rel="nofollow noopener ugc"``), hashtags and mentions
    marked, and line breaks kept. Only http(s) links can come out of the pattern."""
    out: list[str] = []
    position = 0
    for match in _TOKEN.finditer(text):
        out.append(escape(text[position : match.start()]))
        value = match.group(0)
        if match.group("url"):
            out.append(
                format_html(
                    '<a href="{}" rel="nofollow noopener ugc" target="_blank">{}</a>', value, value
                )
            )
        else:
            kind = "tag" if match.group("tag") else "mention"
            out.append(format_html('<span class="pv-{}">{}</span>', kind, value))
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 — every piece is escaped


@dataclass
class ChannelPreview:
    channel: Channel
    network: type[Network] | None
    parts: list[SafeString]
    counts: list[int]
    limit: int
    media: list[Media]
    options: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    first_comment: SafeString | None = None
    customised: bool = False

    @property
    def card(self) -> str:
        # Each network brings its look (Network.preview_template); others get the shared one.
        if self.network is not None and self.network.preview_template:
            return self.network.preview_template
        return "publishing/previews/generic.html"

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def count(self) -> int:
        return max(self.counts) if self.counts else 0

    @property
    def poll_duration(self) -> str:
        poll = self.options.get("poll") or {}
        hours = int(poll.get("expires_in", 86400)) // 3600
        if hours and hours % 24 == 0:
            days = hours // 24
            return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}

    @property
    def level(self) -> str:
        if self.errors:
            return "bad"
        return "warn" if self.warnings or self.count > self.limit * 0.9 else "ok"


def previews_of(composition: Composition) -> list[ChannelPreview]:
    problems = composition.problems()
    return [
        _preview(composition, channel, problems[channel.pk]) for channel in composition.channels
    ]


def _preview(composition: Composition, channel: Channel, problems: list[Problem]) -> ChannelPreview:
    network = network_of(channel)
    text, options = composition.variant_for(channel)
    parts = [part for part in thread_of(text, options)]
    variant = composition.variants.get(channel.pk)
    comment = str(options.get("first_comment") or "")
    return ChannelPreview(
        channel=channel,
        network=network,
        parts=[highlight(part) for part in parts],
        counts=[network.count_text(part) if network else len(part) for part in parts],
        limit=limits_of(channel, network).max_chars if network else 0,
        media=composition.media,
        options=options,
        problems=problems,
        first_comment=highlight(comment) if comment.strip() else None,
        customised=bool(variant and variant.customised),
    )
