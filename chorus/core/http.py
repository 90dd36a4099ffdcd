"""The one HTTP client of Chorus (DESIGN.md: one place for timeouts, user agent, errors, blocking).

Every connector gets its ``httpx.Client`` from :func:`client` and turns responses and exceptions
into the error classes of :mod:`chorus.core.network_errors` with :func:`raise_for_status` and
:func:`send`.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from typing import Any

import httpcore
import httpx
from django.conf import settings

from chorus.core.network_errors import (
    AuthExpired,
    ChannelError,
    Permanent,
    RateLimited,
    Transient,
    Unconfirmed,
)

USER_AGENT = "Chorus/0.1 (self-hosted community management)"
DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)


class ExternalHostBlocked(httpx.ConnectError):
    """Chorus refused to connect: the address is inside a private network that the operator did
    not list in ``CHORUS_ALLOW_PRIVATE_NETWORKS`` (or, in tests, anything outside loopback)."""


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def allowed_private_networks() -> list[IPNetwork]:
    """``CHORUS_ALLOW_PRIVATE_NETWORKS``: networks or single addresses (a homeserver on the LAN)."""
    listed = getattr(settings, "CHORUS_ALLOW_PRIVATE_NETWORKS", ())
    return _networks(tuple(listed))


@functools.lru_cache(maxsize=8)
def _networks(listed: tuple[str, ...]) -> list[IPNetwork]:
    return [ipaddress.ip_network(item.strip(), strict=False) for item in listed if item.strip()]


def _closed() -> bool:
    """Tests (and an operator who asks for it): nothing but loopback and the listed networks."""
    return bool(getattr(settings, "CHORUS_BLOCK_EXTERNAL_HTTP", False))


def loopback_allowed() -> bool:
    """Loopback is where the tests' and DEBUG's stand-in servers live; elsewhere it is the
    server itself, which only a listed network opens."""
    return _closed() or bool(settings.DEBUG)


def address_allowed(address: str | IPAddress) -> bool:
    """May Chorus connect to this address? Public ones yes; the operator's listed networks yes;
    loopback in tests and DEBUG; any other private, link-local or reserved address no."""
    ip = ipaddress.ip_address(str(address).strip("[]").split("%")[0])
    mapped = getattr(ip, "ipv4_mapped", None)
    ip = mapped or ip
    if any(ip in network for network in allowed_private_networks()):
        return True
    if ip.is_loopback:
        return loopback_allowed()
    return ip.is_global and not _closed()


def _is_loopback(host: str) -> bool:
    if host in {"localhost", "localhost.localdomain"} or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_listed(host: str) -> bool:
    try:
        return address_allowed(host)
    except ValueError:
        return False  # a name: never resolved in the closed mode


class _ClosedTransport(httpx.HTTPTransport):
    """The closed mode decides on the host as written, without asking DNS about any name."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if not (_is_loopback(host) or _is_listed(host)):
            raise ExternalHostBlocked(f"network blocked: {host}", request=request)
        return super().handle_request(request)


class _CheckedBackend(httpcore.SyncBackend):
    """Checks the address a connection is actually made to (after DNS), then connects to that
    very address, so a name cannot resolve to a public address for the check and to a private
    one for the connection."""

    def connect_tcp(self, host: str, port: int, *args: Any, **kw: Any) -> httpcore.NetworkStream:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        for address in dict.fromkeys(str(info[4][0]) for info in found):
            if address_allowed(address):
                return super().connect_tcp(address, port, *args, **kw)
        raise ExternalHostBlocked(
            f"{host} is inside a private network; list it in CHORUS_ALLOW_PRIVATE_NETWORKS"
            " to let Chorus reach it"
        )


def _checked_transport() -> httpx.HTTPTransport:
    if _closed():
        return _ClosedTransport()
    transport = httpx.HTTPTransport()
    # httpx builds its connection pool itself; the backend is where connections are made.
    transport._pool._network_backend = _CheckedBackend()
    return transport


def client(*, base_url: str = "", headers: dict[str, str] | None = None, **kw: Any) -> httpx.Client:
    """A configured client. Connectors must use this rather than ``httpx.Client()`` directly."""
    merged = {"User-Agent": USER_AGENT, **(headers or {})}
    transport = kw.pop("transport", None) or _checked_transport()
    return httpx.Client(
        base_url=base_url,
        headers=merged,
        timeout=kw.pop("timeout", DEFAULT_TIMEOUT),
        transport=transport,
        follow_redirects=kw.pop("follow_redirects", True),
        **kw,
    )


def retry_after_seconds(response: httpx.Response, default: float = 60.0) -> float:
    """How long the network asked us to wait: ``Retry-After`` or an ``X-RateLimit-Reset`` time."""
    value = response.headers.get("retry-after")
    if value:
        try:
            return float(value)
        except ValueError:
            try:
                return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
            except (TypeError, ValueError):
                pass
    reset = response.headers.get("x-ratelimit-reset")
    if reset:
        return _seconds_until_reset(reset, default)
    return default


def _seconds_until_reset(reset: str, default: float) -> float:
    try:
        number = float(reset)
    except ValueError:
        # Mastodon sends an ISO 8601 time here.
        from datetime import datetime

        try:
            when = datetime.fromisoformat(reset.replace("Z", "+00:00"))
        except ValueError:
            return default
        return max(0.0, when.timestamp() - time.time())
    # Epoch seconds (X, GitHub style) or a delta in seconds (some networks).
    return max(0.0, number - time.time()) if number > 1_000_000_000 else number


def network_message(response: httpx.Response) -> str:
    """The network's own explanation, from the common JSON error shapes, else the raw text."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(body, dict):
        for key in ("error_description", "error", "message", "description", "detail", "errors"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value[:300]
            if isinstance(value, dict) and isinstance(value.get("message"), str):
                return str(value["message"])[:300]
    return str(body)[:300]


def raise_for_status(response: httpx.Response, *, may_have_applied: bool = False) -> None:
    """Turn an unsuccessful response into the right :class:`ChannelError`.

    ``may_have_applied`` says whether a 5xx on this request could hide a success (a POST without an
    idempotency key): then it is :class:`Unconfirmed`, never :class:`Transient`.
    """
    status = response.status_code
    if status < 400:
        return
    said = network_message(response)
    if status == 429:
        raise RateLimited(
            "The network asked Chorus to slow down.",
            retry_after=retry_after_seconds(response),
            detail=said,
        )
    if status == 401:
        raise AuthExpired("The network no longer accepts this account's access.", detail=said)
    if status in (408, 500, 502, 503, 504) or status >= 500:
        if may_have_applied and status not in (503,):
            raise Unconfirmed(
                "The network failed while handling the request; it may have gone through.",
                detail=f"HTTP {status}: {said}",
            )
        raise Transient(f"The network is having trouble (HTTP {status}).", detail=said)
    raise Permanent(f"The network refused the request: {said}", detail=f"HTTP {status}: {said}")


@contextmanager
def translate_errors(*, may_have_applied: bool = False) -> Iterator[None]:
    """Map httpx exceptions to channel errors: a lost answer is not a failed request."""
    try:
        yield
    except ChannelError:
        raise
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        raise Transient("Chorus could not reach the network.", detail=str(exc)) from exc
    except (httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
        if may_have_applied:
            raise Unconfirmed(
                "The network did not answer in time; the request may have gone through.",
                detail=str(exc),
            ) from exc
        raise Transient("The network did not answer in time.", detail=str(exc)) from exc
    except httpx.HTTPError as exc:
        raise Transient("Chorus could not talk to the network.", detail=str(exc)) from exc


def send(
    http: httpx.Client, method: str, url: str, *, may_have_applied: bool = False, **kw: Any
) -> httpx.Response:
    """Send one request and raise the classified error for any failure."""
    with translate_errors(may_have_applied=may_have_applied):
        response = http.request(method, url, **kw)
    raise_for_status(response, may_have_applied=may_have_applied)
    return response
