"""Links that came from a network, made safe to put in a page (DESIGN.md invariant 3).

A network hands us URLs it got from anyone: a post's permalink, a profile, a channel's address. Only
http and https ones become links; ``javascript:``, ``data:`` and the rest are dropped, whichever
page shows them.
"""

from __future__ import annotations

from typing import Any

# What every link to a network carries: not an endorsement, no window.opener, user content.
REL = "nofollow noopener ugc"


def safe_url(url: Any) -> str:
    """``url`` if it is an http(s) address, else "" (so templates can test it)."""
    text = str(url or "").strip()
    # Browsers ignore tabs and newlines inside a scheme ("java\tscript:"); the prefix test
    # below is on the whole text, so such a value never starts with http(s).
    return text if text.lower().startswith(("https://", "http://")) else ""
