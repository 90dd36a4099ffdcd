"""A Mastodon server sets its own limits: connecting reads them (the recorded answer of a real
instance) into the channel's settings, and validation checks a variant against them, falling
back to Mastodon's defaults when a channel has none stored."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from chorus.channels import services as channels
from chorus.channels.models import Channel
from chorus.channels.networks.mastodon.network import Mastodon
from chorus.core import http as chorus_http
from chorus.publishing.models import Media
from chorus.publishing.validation import limits_of, problems_for
from chorus.workspaces.models import Workspace
from tests.channels.mastodon.mastodon_recordings import BASE_URL, TOKEN, Recording

AVIF = {"name": "bike.avif", "mime_type": "image/avif", "size_bytes": 1000, "alt_text": "A bike"}


def _connected(workspace: Workspace, recording: Recording) -> Channel:
    http = chorus_http.client(transport=httpx.MockTransport(recording.handle))
    return channels.connect(
        workspace, "mastodon", {"access_token": TOKEN}, {"base_url": BASE_URL}, http=http
    )


def _instance_saying(**statuses: Any) -> Recording:
    """The recorded instance, with its ``statuses`` configuration changed as a server may."""
    recording = Recording.of("test_verify_credentials.yaml", "test_instance.yaml")
    answer = recording.find("GET", "/api/v2/instance")
    body = json.loads(answer.body)
    body["configuration"]["statuses"].update(statuses)
    answer.body = json.dumps(body).encode()
    return recording


@pytest.fixture
def recorded_channel(workspace_a: Workspace) -> Channel:
    recording = Recording.of("test_verify_credentials.yaml", "test_instance.yaml")
    channel = _connected(workspace_a, recording)
    assert recording.requests("GET", "/api/v2/instance")  # asked the server, not assumed
    return channel


def test_connecting_stores_the_servers_limits(recorded_channel: Channel) -> None:
    stored = Channel.objects.get(pk=recorded_channel.pk).settings["limits"]

    assert stored["max_chars"] == 500
    assert stored["max_alt_text"] == 10000
    assert "image/avif" in stored["image_types"]
    assert "count_mode" not in stored  # how text is counted stays Mastodon's


def test_validation_uses_the_stored_limits(recorded_channel: Channel) -> None:
    avif = Media(**AVIF)
    long_description = Media(**(AVIF | {"mime_type": "image/png", "alt_text": "a" * 2000}))

    assert problems_for(recorded_channel, "Ride on Sunday", [avif, long_description], {}) == []
    # Mastodon's defaults would refuse both: AVIF and a description over 1,500 characters.
    bare = Channel(network="mastodon", name="Another server")
    refused = problems_for(bare, "Ride on Sunday", [avif, long_description], {})
    assert {p.code for p in refused} == {"media_type", "alt_text_too_long"}


def test_a_server_taking_5000_characters_gets_5000(workspace_a: Workspace) -> None:
    channel = _connected(workspace_a, _instance_saying(max_characters=5000))

    assert problems_for(channel, "a" * 4999, [], {}) == []
    (problem,) = problems_for(channel, "a" * 5001, [], {})
    assert problem.code == "too_long"
    assert "takes 5000" in problem.message


def test_a_channel_without_stored_limits_uses_mastodons_defaults() -> None:
    channel = Channel(network="mastodon", name="Old channel", settings={"base_url": BASE_URL})

    assert limits_of(channel, Mastodon) == Mastodon.limits
    assert [p.code for p in problems_for(channel, "a" * 501, [], {})] == ["too_long"]


def test_unreadable_stored_values_fall_back_to_the_defaults() -> None:
    stored = {"max_chars": "lots", "max_media": 2, "image_types": None}
    channel = Channel(network="mastodon", name="Odd", settings={"limits": stored})

    limits = limits_of(channel, Mastodon)

    assert limits.max_chars == Mastodon.limits.max_chars
    assert limits.image_types == Mastodon.limits.image_types
    assert limits.max_media == 2


def test_a_server_that_cannot_tell_its_limits_still_connects(workspace_a: Workspace) -> None:
    recording = Recording.of("test_verify_credentials.yaml", "test_instance.yaml")
    answer = recording.find("GET", "/api/v2/instance")
    answer.status, answer.body = 503, b"<html>Maintenance</html>"
    answer.headers = {"content-type": "text/html"}

    channel = _connected(workspace_a, recording)

    assert "limits" not in Channel.objects.get(pk=channel.pk).settings
    assert limits_of(channel, Mastodon) == Mastodon.limits
