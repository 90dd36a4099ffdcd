"""Every API endpoint, read from the published OpenAPI schema, keeps workspaces apart.

A token of alice's workspace A reaches nothing of charlie's workspace C and the other way round:
no C object in any answer, no C row changed, C's ids are "not found" or refused with a field
error. A revoked token, and the token of someone removed from the workspace, get 401 everywhere.
A new endpoint is covered the day it is added; a new kind of path id must be taught here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db.models import Model
from django.test import Client
from django.utils import timezone

from chorus.accounts.models import User
from chorus.api.models import ApiToken
from chorus.channels.models import Channel
from chorus.engagement.models import Contest
from chorus.listening.models import ListeningQuery, Mention
from chorus.publishing import services
from chorus.publishing.models import Media, Post, PostTarget
from chorus.workspaces.models import Membership, Workspace

pytestmark = pytest.mark.django_db
API = "/api/v1"


@dataclass
class Side:
    """One workspace seen through one token, with things that only it owns."""

    workspace: Workspace
    client: Client
    channel: Channel
    post: Post
    media: Media
    secret: str  # appears in this side's rows and must never appear in the other side's answers

    def ids(self) -> dict[str, int]:
        target = self.post.targets.first()
        assert target is not None
        return {
            "post_id": self.post.pk,
            "channel_id": self.channel.pk,
            "media_id": self.media.pk,
            "target_id": target.pk,
            "variant_id": target.pk,
            "query_id": ListeningQuery.objects.get(workspace=self.workspace).pk,
            "mention_id": Mention.objects.get(workspace=self.workspace).pk,
            "contest_id": Contest.objects.get(workspace=self.workspace).pk,
        }

    def snapshot(self) -> list[dict[str, Any]]:
        rows: list[Model] = [self.workspace, self.channel, self.post, self.media]
        rows += list(PostTarget.objects.filter(workspace=self.workspace).order_by("pk"))
        rows += list(ListeningQuery.objects.filter(workspace=self.workspace))
        rows += list(Mention.objects.filter(workspace=self.workspace))
        rows += list(Contest.objects.filter(workspace=self.workspace))
        fresh = [type(row).objects.filter(pk=row.pk).values().first() for row in rows]
        counts = {
            "posts": Post.objects.filter(workspace=self.workspace).count(),
            "media": Media.objects.filter(workspace=self.workspace).count(),
            "members": Membership.objects.filter(workspace=self.workspace).count(),
        }
        return [*fresh, counts]  # type: ignore[list-item]


def _side(user: User, workspace: Workspace, secret: str) -> Side:
    channel = Channel.objects.create(
        workspace=workspace, network="mastodon", name=f"{secret} channel", remote_id=secret
    )
    media = Media.objects.create(
        workspace=workspace,
        file=ContentFile(b"x", name=f"{secret}.txt"),
        name=f"{secret} file",
        mime_type="image/png",
        uploaded_by=user,
    )
    post = services.create_post(workspace, user, f"{secret} post", [channel])
    Mention.objects.create(
        workspace=workspace,
        network="rss",
        remote_id=f"{secret}-mention",
        text=f"{secret} mention",
        published_at=timezone.now(),
    )
    ListeningQuery.objects.create(
        workspace=workspace, name=f"{secret} query", kind="brand", expression=f"{secret}brand"
    )
    Contest.objects.create(
        workspace=workspace,
        title=f"{secret} contest",
        organiser=f"{secret} organiser",
        prizes="A mug",
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=1),
    )
    _token, raw = ApiToken.issue(user, workspace, "tests")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return Side(workspace, client, channel, post, media, secret)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def side_a(alice: User, workspace_a: Workspace) -> Side:
    return _side(alice, workspace_a, "ALPHA-SECRET")


@pytest.fixture
def side_c(charlie: User, workspace_c: Workspace) -> Side:
    return _side(charlie, workspace_c, "CHARLIE-SECRET")


def endpoints() -> list[tuple[str, str]]:
    schema = Client().get(f"{API}/openapi.json").json()
    return sorted(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    )


def _url(path: str, ids: dict[str, int]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in ids, f"teach test_api_tenancy_new which object {{{name}}} names"
        return str(ids[name])

    return re.sub(r"\{(\w+)\}", fill, path)


def _body_pointing_at(other: Side) -> dict[str, Any]:
    """Every field an endpoint might take, filled with the other workspace's ids."""
    ids = other.ids()
    return {
        "text": "hijack",
        "name": "Hijacked name",
        "channels": [other.channel.pk],
        "channel": other.channel.pk,
        "media": [other.media.pk],
        "post": other.post.pk,
        "variants": [{"channel": other.channel.pk, "text": "hijack"}],
        **ids,
    }


def _call(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    send = getattr(client, method.lower())
    if method == "GET":
        return send(url, body or {})
    return send(url, json.dumps(body or {}), content_type="application/json")


def _query_pointing_at(other: Side) -> dict[str, Any]:
    return {**other.ids(), "workspace": other.workspace.slug}


def test_the_schema_lists_the_endpoints_this_file_knows_how_to_call() -> None:
    found = endpoints()
    assert ("GET", f"{API}/posts/{{post_id}}") in found and ("POST", f"{API}/posts") in found
    assert len(found) >= 7


@pytest.mark.parametrize("direction", ["a_reaches_for_c", "c_reaches_for_a"])
def test_no_endpoint_crosses_workspaces(side_a: Side, side_c: Side, direction: str) -> None:
    me, other = (side_a, side_c) if direction == "a_reaches_for_c" else (side_c, side_a)
    before = other.snapshot()
    for method, path in endpoints():
        url = _url(path, other.ids())
        if method == "GET":
            response = _call(me.client, method, url, _query_pointing_at(other))
        else:
            response = _call(me.client, method, url, _body_pointing_at(other))
        where = f"{method} {url} -> {response.status_code}"
        assert response.status_code < 500, where
        assert other.secret not in response.content.decode(), where
        assert other.workspace.name not in response.content.decode(), where
        if "{" in path:
            assert response.status_code in (403, 404, 422), where
    assert other.snapshot() == before


def test_a_post_cannot_be_made_with_the_other_workspace_channel_or_file(
    side_a: Side, side_c: Side
) -> None:
    posts_before = Post.objects.count()
    only_c_channel = {"text": "x", "channels": [side_c.channel.pk]}
    response = _call(side_a.client, "POST", f"{API}/posts", only_c_channel)
    assert response.status_code == 422 and "channels.0" in response.json()["errors"]
    c_file = {"text": "x", "channels": [side_a.channel.pk], "media": [side_c.media.pk]}
    response = _call(side_a.client, "POST", f"{API}/posts", c_file)
    assert response.status_code == 422 and "media.0" in response.json()["errors"]
    assert Post.objects.count() == posts_before


def test_each_token_reads_its_own_workspace(side_a: Side, side_c: Side) -> None:
    assert side_a.client.get(f"{API}/workspace").json()["name"] == "Brand A"
    assert side_c.client.get(f"{API}/workspace").json()["name"] == "Charlie Co"
    assert [p["id"] for p in side_a.client.get(f"{API}/posts").json()] == [side_a.post.pk]
    assert side_a.client.get(f"{API}/posts/{side_a.post.pk}").status_code == 200


def test_a_revoked_token_gets_401_on_every_endpoint(
    alice: User, alice_client: Client, side_a: Side
) -> None:
    token, raw = ApiToken.issue(alice, side_a.workspace, "to revoke")
    revoked = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert revoked.get(f"{API}/me").status_code == 200
    assert alice_client.post(f"/workspace/api-tokens/{token.pk}/revoke/").status_code == 302
    for method, path in endpoints():
        response = _call(revoked, method, _url(path, side_a.ids()), {})
        assert response.status_code == 401, f"{method} {path}"
    assert side_a.snapshot()[0]["name"] == "Brand A"


def test_charlie_cannot_revoke_alice_token(
    alice: User, charlie_client: Client, side_a: Side
) -> None:
    token, raw = ApiToken.issue(alice, side_a.workspace, "keep")
    response = charlie_client.post(f"/workspace/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(f"{API}/me").status_code == 200


def test_a_removed_member_token_gets_401_on_every_endpoint(bob: User, side_a: Side) -> None:
    _token, raw = ApiToken.issue(bob, side_a.workspace, "bob's script")
    Membership.objects.filter(user=bob, workspace=side_a.workspace).delete()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    for method, path in endpoints():
        response = _call(client, method, _url(path, side_a.ids()), {})
        assert response.status_code == 401, f"{method} {path}"
