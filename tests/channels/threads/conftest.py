"""Meta's Threads API played by a loopback server (``tests/loopback.py``).

Only the two token bodies are recordings (``base/threads_user_token.json``,
``base/threads_user_long_lived_token.json``); no public recording of Threads publishing, replies
or insights exists, so every other body here follows Meta's documented shapes
(developers.facebook.com/docs/threads), said so in each test module.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chorus.channels.models import Channel
from chorus.channels.networks.threads.network import Threads, ThreadsConnection
from chorus.workspaces.models import Workspace
from tests.loopback import Loopback, Reply, serving

USER = "17841400000000001"
V = "/v1.0"
ME = {"id": USER, "username": "chorus.cafe", "name": "Chorus Café"}


def in_days(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


@pytest.fixture
def meta(settings) -> Iterator[Loopback]:  # type: ignore[no-untyped-def]
    """Threads' Graph host on loopback, with the operator's app set up."""
    with serving() as loopback:
        settings.CHORUS_THREADS_GRAPH_URL = loopback.root
        settings.CHORUS_THREADS_AUTHORIZE_URL = f"{loopback.root}/oauth/authorize"
        settings.CHORUS_THREADS_APP_ID = "threads-app-1"
        settings.CHORUS_THREADS_APP_SECRET = "threads-secret-1"
        loopback.on("GET", f"{V}/me", Reply(200, ME))
        yield loopback


def credentials(**more: Any) -> dict[str, Any]:
    return {"access_token": "TH-long-1", "expires_at": in_days(50), "user_id": USER, **more}


@pytest.fixture
def connection(meta: Loopback) -> Iterator[ThreadsConnection]:
    made = Threads.connect(credentials(), {"media_poll_seconds": 0, "media_wait_seconds": 3})
    assert isinstance(made, ThreadsConnection)
    made.sleep = lambda seconds: None
    yield made
    made.close()


@pytest.fixture
def threads_channel(workspace_a: Workspace, meta: Loopback) -> Channel:
    channel = Channel(workspace=workspace_a, network="threads", name="Chorus Café", remote_id=USER)
    channel.handle = "@chorus.cafe"
    channel.credentials = credentials()
    channel.settings = {"media_poll_seconds": 0, "media_wait_seconds": 0}
    channel.save()
    return channel


def graph_error(code: int, message: str, **more: Any) -> dict[str, Any]:
    """Meta's documented error object (the same on graph.threads.net as on Facebook's Graph)."""
    return {
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "fbtrace_id": "AbCdEf",
            **more,
        }
    }
