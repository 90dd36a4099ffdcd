"""Reading back the account's latest posts, to reconcile an unconfirmed publication."""

from __future__ import annotations

from mastodon_recordings import Recording


def test_recent_posts_of_the_connected_account() -> None:
    recording = Recording.of("test_get_pagination_info.yaml")

    posts = recording.connect().recent_posts(limit=5)

    assert len(posts) == 5
    assert all(post.remote_id.isdigit() and post.published_at for post in posts)
    assert all("<" not in post.text for post in posts)
    (request,) = recording.requests("GET", "/api/v1/accounts/117020565966271181/statuses")
    assert request.url.params["limit"] == "5"
    assert request.url.params["exclude_reblogs"] == "true"
