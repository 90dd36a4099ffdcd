"""Mentions, replies and direct messages become inbox items, as plain text, page after page."""

from __future__ import annotations

import json

from mastodon_recordings import Answer, Recording

from chorus.channels.networks.mastodon.inbox import read_cursor


def _mentions_and_direct() -> Recording:
    # Mentions (the viewer is mastodonpy_test) then direct messages (the viewer is admin).
    recording = Recording.of("test_notifications_mentions_only.yaml", "test_conversations.yaml")
    recording.answers = [a for a in recording.answers if a.method == "GET"]
    return recording


def test_mention_becomes_an_inbox_item_in_plain_text() -> None:
    recording = _mentions_and_direct()

    page = recording.connect().fetch_inbox()

    mention = next(item for item in page.items if item.kind == "mention")
    assert mention.remote_id == "117020577157693549"
    assert mention.text == "@mastodonpy_test hello!"
    assert mention.author.handle == "admin"
    assert mention.conversation_id == "117020577157693549"
    assert mention.url == "http://localhost:3000/@admin/117020577157693549"
    assert mention.created_at.isoformat() == "2026-08-01T13:51:42.823000+00:00"
    (request,) = recording.requests("GET", "/api/v1/notifications")
    assert request.url.params.get_list("types[]") == ["mention"]


def test_direct_messages_from_conversations() -> None:
    page = _mentions_and_direct().connect().fetch_inbox()

    direct = [item for item in page.items if item.kind == "direct"]
    assert [item.text for item in direct] == ["@mastodonpy_test pssssst!", "@admin ilu bby ;3"]
    answer = direct[0]
    assert answer.in_reply_to == "117020588315335369"
    assert answer.conversation_id == "117020588315335369"
    assert {item.author.handle for item in direct} == {"mastodonpy_test_2"}


def test_cursor_remembers_each_source_and_next_poll_starts_after_it() -> None:
    page = _mentions_and_direct().connect().fetch_inbox()
    assert read_cursor(page.cursor) == {"mentions": "21", "direct": "117020593780198542"}

    again = _mentions_and_direct()
    again.connect().fetch_inbox(page.cursor)

    (mentions,) = again.requests("GET", "/api/v1/notifications")
    (direct,) = again.requests("GET", "/api/v1/conversations")
    assert mentions.url.params["min_id"] == "21"
    assert direct.url.params["min_id"] == "117020593780198542"


def test_a_busy_hour_is_read_page_by_page() -> None:
    recording = _mentions_and_direct()
    first = recording.find("GET", "/api/v1/notifications")
    newer = json.loads(first.body)
    newer[0]["id"] = "22"  # the same real mention, as the next notification would number it
    later = Answer(first.method, first.path, 200, first.headers, json.dumps(newer).encode())
    empty = Answer(first.method, first.path, 200, first.headers, b"[]")
    no_more_direct = Answer("GET", "/api/v1/conversations", 200, first.headers, b"[]")
    recording.answers += [later, empty, no_more_direct]
    connection = recording.connect()
    connection.inbox_page_size = 1

    page = connection.fetch_inbox("mentions=20&direct=117020593780198542")

    asked = [r.url.params["min_id"] for r in recording.requests("GET", "/api/v1/notifications")]
    assert asked == ["20", "21", "22"]
    assert read_cursor(page.cursor)["mentions"] == "22"
    assert [i.kind for i in page.items].count("mention") == 1  # one post, seen twice, kept once


def test_own_direct_messages_are_not_inbox_items() -> None:
    recording = Recording.of("test_conversations.yaml")
    recording.answers = [a for a in recording.answers if a.method == "GET"]
    # As mastodonpy_test_2, who wrote both last messages, nothing is new to answer.
    me = json.loads(recording.find("GET", "/api/v1/accounts/verify_credentials").body)
    me.update(id="117020566092212359", acct="mastodonpy_test_2")
    recording.find("GET", "/api/v1/accounts/verify_credentials").body = json.dumps(me).encode()
    recording.answers.append(Answer("GET", "/api/v1/notifications", 200, {}, b"[]"))

    page = recording.connect().fetch_inbox()

    assert page.items == []
