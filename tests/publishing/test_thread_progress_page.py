"""The post page shows each part of a thread as it was sent, with its state until it is online."""

from __future__ import annotations

from django.test import Client

from .conftest import scheduled
from .thread_support import publish_with_parts, with_options


def test_the_post_page_shows_which_part_stopped_the_thread(
    alice_client: Client, alice, channel_a, standin
) -> None:
    target = with_options(
        scheduled(alice, channel_a, "Page 1"),
        thread=["Page 2", "Page <3>"],
        first_comment="Page comment",
    )
    standin.faults.forced = ["", "", "422"]  # part 3 is refused: it and the comment stop

    publish_with_parts(target.pk)

    page = alice_client.get(f"/publishing/posts/{target.post_id}/").content.decode()
    assert "<hr>Page 2</div>" not in page and "<hr>Page 2\n" in page  # online: no pill
    assert '<hr>Page &lt;3&gt; <span class="pill state-failed">Failed</span>' in page
    assert 'Page comment <span class="pill state-failed">Failed</span>' in page
    assert "Part 3 of 3" in page
