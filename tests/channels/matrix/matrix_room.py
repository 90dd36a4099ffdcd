"""People in the test room using an ordinary Matrix client, to act and to check outcomes."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

import httpx

from tests.servers.synapse import RunningSynapse

# The recorded bodies live beside the repository, in ../shared (see DESIGN.md, Tests).
FIXTURES = Path(__file__).resolve().parents[3] / ".." / "shared" / "fixtures" / "matrix"


def fixture_json(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def quote(identifier: str) -> str:
    return url_quote(identifier, safe="")


class Person:
    """Someone in the room using an ordinary client (plain HTTP), to act and to check outcomes."""

    def __init__(self, synapse: RunningSynapse, name: str) -> None:
        self.user = synapse.users[name]
        self.user_id = self.user.user_id
        self.http = httpx.Client(
            base_url=f"{synapse.base_url}/_matrix/client/v3",
            headers={"Authorization": f"Bearer {self.user.access_token}"},
            timeout=30,
        )

    def join(self, room: str) -> httpx.Response:
        return self.http.post(f"/join/{quote(room)}", json={})

    def say(self, room: str, text: str, **extra: Any) -> str:
        content = {"msgtype": "m.text", "body": text, **extra}
        path = f"/rooms/{quote(room)}/send/m.room.message/{uuid.uuid4().hex}"
        answer = self.http.put(path, json=content)
        answer.raise_for_status()
        return str(answer.json()["event_id"])

    def event(self, room: str, event_id: str) -> dict[str, Any]:
        answer = self.http.get(f"/rooms/{quote(room)}/event/{quote(event_id)}")
        answer.raise_for_status()
        return dict(answer.json())

    def messages(self, room: str, limit: int = 100) -> list[dict[str, Any]]:
        """The room's m.room.message events, oldest first."""
        params = {"dir": "b", "limit": str(limit), "filter": '{"types": ["m.room.message"]}'}
        answer = self.http.get(f"/rooms/{quote(room)}/messages", params=params)
        answer.raise_for_status()
        return list(reversed(answer.json()["chunk"]))

    def download(self, mxc: str) -> bytes:
        """A file from the homeserver's media store (authenticated media, as clients do now)."""
        server_and_id = mxc.removeprefix("mxc://")
        answer = self.http.get(f"../../client/v1/media/download/{server_and_id}")
        answer.raise_for_status()
        return answer.content
