"""Post bodies arrive as HTML; Chorus keeps text only, and never a script."""

from __future__ import annotations

import json

from mastodon_recordings import Recording

from chorus.channels.networks.mastodon.text import html_to_text


def test_paragraphs_and_line_breaks_are_kept() -> None:
    html = "<p>Hello<br>world</p><p>second &amp; last<br/>line</p>"
    assert html_to_text(html) == "Hello\nworld\n\nsecond & last\nline"


def test_links_keep_their_full_address() -> None:
    html = (
        '<p><a href="https://example.com/a/b" rel="nofollow noopener" target="_blank">'
        '<span class="invisible">https://</span><span class="ellipsis">example.com/a</span>'
        '<span class="invisible">/b</span></a></p>'
    )
    assert html_to_text(html) == "https://example.com/a/b"


def test_script_and_style_are_dropped_with_their_content() -> None:
    html = "<p>hi<script>alert(1)</script><style>p{}</style> there</p><script>steal()"
    assert html_to_text(html) == "hi there"


def test_typed_markup_stays_literal_text_for_pages_to_escape() -> None:
    assert html_to_text("<p>I wrote &lt;b&gt;bold&lt;/b&gt;</p>") == "I wrote <b>bold</b>"


def test_hostile_mention_is_read_as_text() -> None:
    recording = Recording.of("test_notifications_mentions_only.yaml", "test_conversations.yaml")
    recording.answers = [a for a in recording.answers if a.method == "GET"]
    notifications = recording.find("GET", "/api/v1/notifications")
    body = json.loads(notifications.body)
    # The real mention, as a hostile remote server could send it.
    body[0]["status"]["content"] = (
        "<p>hello<script>document.cookie</script><img src=x onerror=a()></p>"
    )
    body[0]["status"]["spoiler_text"] = "spoilers"
    notifications.body = json.dumps(body).encode()

    page = recording.connect().fetch_inbox()

    mention = next(item for item in page.items if item.kind == "mention")
    assert mention.text == "[CW: spoilers]\n\nhello"
