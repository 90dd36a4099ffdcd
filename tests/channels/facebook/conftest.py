"""Meta's side on loopback: the Graph API and the login dialog served by a real HTTP server
(``tests/loopback.py``) answering with recorded bodies (``tests/channels/meta/recordings.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chorus.channels.models import Channel
from chorus.workspaces.models import Workspace
from tests.channels.meta.recordings import recorded
from tests.loopback import Loopback, Reply, serving

V = "/v24.0"
PAGE_ID = "123"  # the first Page of the recorded /me/accounts


@pytest.fixture
def graph(settings) -> Iterator[Loopback]:  # type: ignore[no-untyped-def]
    with serving() as loopback:
        settings.CHORUS_META_APP_ID = "app-id"
        settings.CHORUS_META_APP_SECRET = "app-secret"
        settings.CHORUS_META_GRAPH_URL = loopback.root
        settings.CHORUS_META_LOGIN_URL = loopback.root
        settings.CHORUS_META_GRAPH_VERSION = "v24.0"
        yield loopback


def page_body(page_id: str = PAGE_ID) -> dict[str, object]:
    """The recorded /me/accounts entry of a Page, as ``GET /{page}`` answers (id, name)."""
    pages = recorded("facebook/apidata/users/user_accounts_p1.json")["data"]
    page = next(p for p in pages if p["id"] == page_id)
    return {"id": page["id"], "name": page["name"]}


@pytest.fixture
def page_channel(workspace_a: Workspace, graph: Loopback) -> Channel:
    """A connected Page whose person granted every permission Chorus asks for."""
    from chorus.channels.networks.meta.login import SCOPES

    channel = Channel(
        workspace=workspace_a,
        network="facebook",
        name="AAAAAAAAA",
        remote_id=PAGE_ID,
        settings={"page_id": PAGE_ID, "granted_scopes": list(SCOPES)},
    )
    channel.credentials = {"access_token": "page-token", "user_token": "user-token"}
    channel.save()
    graph.on("GET", f"{V}/{PAGE_ID}", Reply(200, page_body()))
    return channel
