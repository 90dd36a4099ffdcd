"""Plain text to the HTML flavour Matrix clients show (``org.matrix.custom.html``).

Clients sanitise ``formatted_body`` themselves, but a post written in Chorus is plain text: every
character is escaped here, so a ``<script>`` in a post is shown, never interpreted, whatever client
reads it.
"""

from __future__ import annotations

import html
import re

from chorus.channels.base import URL_RE

TRAILING_PUNCTUATION = ".,;:!?)]}'\""
LINK_REL = "nofollow noopener ugc"


def _split_url(match: str) -> tuple[str, str]:
    """A URL and the punctuation that ends the sentence around it ("see https://x.org.")."""
    url = match.rstrip(TRAILING_PUNCTUATION)
    return url, match[len(url) :]


def _link(url: str) -> str:
    href = html.escape(url, quote=True)
    return f'<a href="{href}" rel="{LINK_REL}">{html.escape(url, quote=False)}</a>'


def _escape_line(line: str) -> str:
    pieces: list[str] = []
    position = 0
    for match in URL_RE.finditer(line):
        url, rest = _split_url(match.group(0))
        pieces.append(html.escape(line[position : match.start()], quote=False))
        has_host = bool(url.partition("://")[2])
        pieces.append(_link(url) if has_host else html.escape(url, quote=False))
        pieces.append(html.escape(rest, quote=False))
        position = match.end()
    pieces.append(html.escape(line[position:], quote=False))
    return "".join(pieces)


def to_html(text: str) -> str:
    """Escaped text with links made clickable and line breaks kept."""
    lines = re.split(r"\r\n|\r|\n", text)
    return "<br>".join(_escape_line(line) for line in lines)
