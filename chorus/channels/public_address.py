"""Can the internet reach Chorus at ``CHORUS_BASE_URL``?

Some networks come to Chorus rather than the other way round: Instagram and Threads fetch the
pictures to publish from an address on Chorus (``Network.fetches_media``), and Meta delivers new
comments and messages to Chorus's webhook address. Both fail, late and in the network's own words,
when ``CHORUS_BASE_URL`` is ``http://127.0.0.1:8000`` (the default) or a private address. So the
connect page says it before anything fails.

Only a check of the address itself: an http(s) address whose host is a public IP or a name that
resolves only to public IPs. A firewall in front of a public address is not seen; that is what
the network's own error then says.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from chorus.channels.base import Capability, Network
from chorus.channels.capabilities import ReceivesAppWebhooks, capable

INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa")


def why_unreachable(base_url: str) -> str:
    """Why the internet cannot reach ``base_url``, in words; "" when it can."""
    try:
        parts = urlsplit(base_url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return _("it is not a web address")
    if parts.scheme not in ("http", "https") or not host:
        return _("it is not an http:// or https:// address")
    if host == "localhost" or host.endswith(INTERNAL_SUFFIXES):
        return _("%(host)s is a name inside this machine or network") % {"host": host}
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        addresses = list(_resolved(host))
        if not addresses:
            return _("the name %(host)s does not resolve to any address") % {"host": host}
    private = [str(ip) for ip in addresses if not ip.is_global]
    if private:
        return _("%(address)s is a private address") % {"address": private[0]}
    return ""


@functools.lru_cache(maxsize=32)
def _resolved(host: str) -> tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, ...]:
    """The host's addresses (asked once per process: the connect page must stay quick)."""
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return ()
    return tuple(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found)


def receives_app_webhooks(network: type[Network]) -> bool:
    return network.can(Capability.WEBHOOK) and capable(network, ReceivesAppWebhooks) is not None


def reachability_warnings(network: type[Network]) -> list[str]:
    """What the connect card says when ``network`` needs to reach Chorus and cannot."""
    if not (network.fetches_media or receives_app_webhooks(network)):
        return []
    base = settings.CHORUS_BASE_URL
    why = why_unreachable(base)
    if not why:
        return []
    said = {"network": network.label, "address": base, "why": why}
    if network.fetches_media and receives_app_webhooks(network):  # one sentence for both
        return [
            _(
                "%(network)s fetches your pictures and videos from Chorus, and delivers new "
                "comments and messages to it, at CHORUS_BASE_URL=%(address)s, which the internet "
                "cannot reach (%(why)s): set it to a public https address."
            )
            % said
        ]
    if network.fetches_media:
        return [
            _(
                "%(network)s fetches your pictures and videos from Chorus at "
                "CHORUS_BASE_URL=%(address)s, which the internet cannot reach (%(why)s): set it "
                "to a public https address before publishing pictures there."
            )
            % said
        ]
    return [
        _(
            "%(network)s delivers new comments and messages to Chorus at "
            "CHORUS_BASE_URL=%(address)s, which the internet cannot reach (%(why)s): set it "
            "to a public https address to receive them as they come."
        )
        % said
    ]
