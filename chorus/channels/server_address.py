"""Turning what a person types as a server address into one Chorus may call.

Chorus calls the address from its own machine, so an address inside the operator's network
(``10.0.0.5``, ``localhost``, the cloud metadata service) would let anyone who may connect a
channel probe it. Those are refused; loopback is allowed only where outgoing HTTP is closed to
loopback anyway (tests) or in DEBUG, where the stand-ins and test servers live.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from chorus.core import http as chorus_http

# A host name in ASCII (IDN already in punycode): labels of letters, digits and hyphens.
HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9-]{1,63})*$")
INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa")


class BadAddress(ValueError):
    """The address cannot be used; ``str()`` says why, in words for the person who typed it."""


def loopback_allowed() -> bool:
    return chorus_http.loopback_allowed()


def server_address(raw: str) -> str:
    """``mastodon.social`` -> ``https://mastodon.social``; raises :class:`BadAddress`."""
    text = raw.strip()
    if not text:
        raise BadAddress(_("Enter the server's address, like mastodon.social."))
    if "://" not in text:
        text = f"https://{text}"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise BadAddress(_("This is not a web address Chorus can use.")) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise BadAddress(_("Chorus only connects to http:// or https:// addresses."))
    if parts.username or parts.password or parts.query or parts.fragment:
        raise BadAddress(_("Enter only the server's address, without a name, password or ?query."))
    host = _ascii_host(parts.hostname or "")
    _check_host(host)
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc = f"{netloc}:{port}"
    return f"{parts.scheme.lower()}://{netloc}{parts.path}".rstrip("/")


def _ascii_host(host: str) -> str:
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise BadAddress(_("This server name has characters Chorus cannot use.")) from None


def _check_host(host: str) -> None:
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is not None:
        # The one HTTP client's rule: public, or in CHORUS_ALLOW_PRIVATE_NETWORKS, or loopback
        # in tests and DEBUG.
        if ip.is_global or chorus_http.address_allowed(ip):
            return
        raise BadAddress(_("This address is inside a private network: Chorus will not call it."))
    if host == "localhost" or host.endswith(INTERNAL_SUFFIXES):
        if host == "localhost" and loopback_allowed():
            return
        if chorus_http.allowed_private_networks():
            return  # a LAN name; the HTTP client checks the address it resolves to
        raise BadAddress(_("This address is inside a private network: Chorus will not call it."))
    if not HOST_RE.match(host) or "." not in host or host.rsplit(".", 1)[1].isdigit():
        raise BadAddress(_("This does not look like a server name, like mastodon.social."))
