from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from chorus.core import http as chorus_http
from tests.loopback import Loopback, serving


@pytest.fixture
def server() -> Iterator[Loopback]:
    with serving() as loopback:
        yield loopback


@pytest.fixture
def http(settings) -> Iterator[httpx.Client]:  # type: ignore[no-untyped-def]
    """The one Chorus client, as polling hands it to a source (closed to all but loopback)."""
    with chorus_http.client() as client:
        yield client
