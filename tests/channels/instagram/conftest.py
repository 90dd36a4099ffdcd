"""Instagram's Graph API served on loopback from Meta's recorded bodies."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chorus.channels.networks.instagram.network import Instagram, InstagramConnection
from tests.loopback import Loopback, serving

IG_USER = "17841406338772941"  # the account of the recorded mentions
PAGE = "1234567890"
VERSION = "v24.0"


def at(path: str) -> str:
    """A Graph path under the version the settings name."""
    return f"/{VERSION}/{path.lstrip('/')}"


@pytest.fixture
def graph(settings) -> Iterator[Loopback]:  # type: ignore[no-untyped-def]
    with serving() as loopback:
        settings.CHORUS_META_GRAPH_URL = loopback.root
        settings.CHORUS_META_GRAPH_VERSION = VERSION
        settings.CHORUS_META_APP_ID = "app-1"
        settings.CHORUS_META_APP_SECRET = "app-secret"
        yield loopback


def credentials(**more: str) -> dict[str, str]:
    return {"access_token": "page-token", "page_id": PAGE, "user_token": "user-token", **more}


@pytest.fixture
def instagram(graph: Loopback) -> Iterator[InstagramConnection]:
    """A connection as the Facebook sign-in leaves it, with the account's id known, checking
    a container three times without sleeping."""
    connection = Instagram.connect(credentials(ig_user_id=IG_USER))
    assert isinstance(connection, InstagramConnection)
    connection.sleep = lambda seconds: None
    connection.container_checks = 3
    try:
        yield connection
    finally:
        connection.close()
