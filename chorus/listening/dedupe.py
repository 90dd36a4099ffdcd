"""The two keys that make one post heard twice a duplicate, besides the network's own id.

The same article comes back through a feed and a search with different tracking parameters,
and the same text comes back as a copy, a repost or a cross-post: ``canonical_url`` and
``fingerprint`` are what ingest compares, per workspace.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from chorus.core.links import safe_url
from chorus.listening.query_language import fold

MAX_URL_LENGTH = 1000  # Mention.url
# Parameters that say who sent the reader, not what they read.
TRACKING = {
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "yclid",
    "_hsenc",
    "_hsmi",
    "ref",
    "ref_src",
    "ref_url",
    "si",
    "spm",
    "cmpid",
}
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Texts shorter than this (in words, once normalised) are not fingerprinted: two people writing
# "I love Acme" are two mentions, a copied paragraph is one.
FINGERPRINT_MIN_WORDS = 6

_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_NOT_WORD = re.compile(r"[^\w]+")


def canonical_url(url: str) -> str:
    """``url`` without tracking parameters, fragment, default port or case in the host; "" for
    anything but an http(s) address (or one too long to store whole)."""
    url = safe_url((url or "").replace("\x00", ""))
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    if not host:
        return ""
    if port and port != DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    clean = urlunsplit((parts.scheme.lower(), host, parts.path or "/", urlencode(kept), ""))
    return clean if len(clean) <= MAX_URL_LENGTH else ""


def _tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING or lowered.startswith(TRACKING_PREFIXES)


def fingerprint(text: str) -> str:
    """A hash of the text as a reader sees it: case, accents, links, punctuation and spacing
    left out. "" for a text too short to tell a copy from a coincidence."""
    words = _NOT_WORD.sub(" ", fold(_URL.sub(" ", text or ""))).split()
    if len(words) < FINGERPRINT_MIN_WORDS:
        return ""
    return hashlib.md5(" ".join(words).encode(), usedforsecurity=False).hexdigest()
