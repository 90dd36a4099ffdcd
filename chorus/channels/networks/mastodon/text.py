"""Mastodon sends post bodies as HTML; Chorus keeps plain text only (DESIGN.md invariant 3).

The result is text, not markup: a person who typed ``<b>`` gets the characters ``<b>`` back, and
every page, PDF and CSV escapes it like any other public text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements whose content is never meant to be read as text (and would be dangerous to keep).
_SKIPPED = frozenset({"script", "style", "template", "noscript", "iframe", "object"})
_BLOCKS = frozenset({"p", "div", "blockquote", "li", "ul", "ol", "pre", "h1", "h2", "h3", "h4"})
# Mastodon's own ``Account::USERNAME_RE`` and ``MENTION_RE`` (app/models/account.rb): a username
# may hold dots and dashes between its letters, as bridged accounts do
# (``@name.bsky.social@bsky.brid.gy``); the server part is word characters joined by dots or
# dashes. Nothing right after "=", "/" or a letter: an address or an e-mail is not a mention.
_USERNAME = r"[a-z0-9_]+(?:[.-]+[a-z0-9_]+)*"
_MENTION = re.compile(rf"(?<![=/\w])@({_USERNAME})(?:@\w+(?:[.-]+\w+)*)?", re.IGNORECASE)
# What twitter-text's ``end_mention_match`` refuses right after a mention (Mastodon's Extractor).
_NOT_A_MENTION_AFTER = re.compile(r"@|://")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.link: tuple[int, str, str] | None = None  # (first part, href, class) of an open <a>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and not self.skipping and self.link is None:
            found = dict(attrs)
            self.link = (len(self.parts), found.get("href") or "", found.get("class") or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and self.link is not None:
            start, href, classes = self.link
            self.parts[start:] = [link_text("".join(self.parts[start:]), href, classes)]
            self.link = None

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def link_text(shown: str, href: str, classes: str = "") -> str:
    """What a link reads as in plain text: the words shown, and its address when they are not it.

    Mastodon's own links show the whole address (part of it in hidden spans); a post from
    elsewhere (Bridgy Fed, Pleroma…) may show ``bsky.app/profile/…`` or "this article" instead,
    and the address would be lost. Mentions and hashtags show ``@name`` or ``#tag`` on purpose.
    """
    href = href.strip()
    if not href.lower().startswith(("https://", "http://")) or "mention" in classes.split():
        return shown
    words = shown.strip()
    if words.startswith(("@", "#")) or "hashtag" in classes.split():
        return shown
    if not words or _bare(href).startswith(_bare(words)):
        return href  # the address itself, whole or cut short: the whole one
    return f"{shown} ({href})"


def _bare(address: str) -> str:
    """An address without what people leave out of it: scheme, ``www.``, a trailing slash or
    ellipsis."""
    address = address.strip().rstrip("…").removesuffix("...").lower()
    address = re.sub(r"^https?://", "", address).removeprefix("www.")
    return address.rstrip("/")


def html_to_text(html: str) -> str:
    """Plain text of a Mastodon post: paragraphs become blank lines, ``<br>`` a line break."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    text = "".join(collector.parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def text_as_mastodon_counts_it(text: str) -> str:
    """The text as Mastodon measures it (StatusLengthValidator#countable_text): a mention
    counts as ``@username`` only, whatever its server (links are the caller's: 23 each)."""

    def local_part(found: re.Match[str]) -> str:
        if _NOT_A_MENTION_AFTER.match(text, found.end()):
            return found.group(0)
        return f"@{found.group(1)}"

    return _MENTION.sub(local_part, text)
