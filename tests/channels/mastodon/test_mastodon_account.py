"""Connecting checks the account; the server's own limits replace Mastodon's defaults."""

from __future__ import annotations

from mastodon_recordings import Recording

from chorus.channels.base import Capability
from chorus.channels.networks.mastodon.network import Mastodon
from chorus.channels.registry import get_network


def test_registry_finds_mastodon() -> None:
    assert get_network("mastodon") is Mastodon
    assert Mastodon.can(Capability.IDEMPOTENCY_KEY)
    assert not Mastodon.can(Capability.FIRST_COMMENT)


def test_whoami_reads_verify_credentials() -> None:
    recording = Recording.of("test_verify_credentials.yaml")
    recorded = recording.find("GET", "/api/v1/accounts/verify_credentials").json()
    account = recording.connect().whoami()

    assert account.remote_id == recorded["id"]
    assert account.handle == recorded["acct"]
    assert account.display_name == recorded["display_name"]
    assert account.url == f"http://localhost:3000/@{recorded['acct']}"
    assert account.followers == recorded["followers_count"]
    (request,) = recording.sent
    assert request.headers["authorization"] == "Bearer __MASTODON_PY_TEST_ACCESS_TOKEN"


def test_rate_limit_state_is_kept_for_the_health_page() -> None:
    connection = Recording.of("test_verify_credentials.yaml").connect()
    connection.whoami()

    assert connection.rate_limit.limit == 300
    assert connection.rate_limit.remaining is not None
    assert connection.rate_limit.reset_at is not None
    assert connection.rate_limit.reset_at.tzinfo is not None


def test_instance_limits_from_v2() -> None:
    limits = Recording.of("test_instance.yaml").connect().instance_limits()

    assert limits.max_chars == 500
    assert limits.url_weight == 23
    assert limits.max_media == 4
    assert limits.max_image_bytes == 16 * 1024 * 1024
    assert limits.max_video_bytes == 99 * 1024 * 1024
    assert limits.max_alt_text == 10000
    assert limits.poll_max_options == 4
    assert "image/avif" in limits.image_types
    assert "video/mp4" in limits.video_types


def test_instance_limits_fall_back_to_v1_on_older_servers() -> None:
    recording = Recording.of("test_media_post_multiple.yaml", "test_status_missing.yaml")
    # A server older than 4.0 has no v2 endpoint: answer it with Mastodon's real 404.
    missing = recording.find("GET", "/api/v1/statuses/0")
    v2 = recording.find("GET", "/api/v2/instance")
    v2.status, v2.body = missing.status, missing.body

    limits = recording.connect().instance_limits()

    assert limits.max_chars == 500
    assert limits.max_video_bytes == 103809024
    assert [r.url.path for r in recording.sent] == ["/api/v2/instance", "/api/v1/instance"]


def test_count_text_counts_links_as_23_and_remote_mentions_as_local_part() -> None:
    assert Mastodon.count_text("see https://example.com/a/very/long/path/indeed") == 4 + 23
    assert Mastodon.count_text("@alice@very.long.example.social hi") == len("@alice hi")
    assert Mastodon.count_text("mail bob@example.com") == len("mail bob@example.com")
