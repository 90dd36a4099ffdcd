"""A Page post's figures: reactions, comments and shares from the recorded post fields, views
from ``post_media_view`` (one metric per request); no figure from Meta is None, never 0."""

from __future__ import annotations

import pytest

from chorus.channels.metrics import collect_metrics
from tests.channels.facebook.conftest import V
from tests.channels.meta.recordings import recorded
from tests.loopback import Reply

POST = "175154750010052_424924701699721"  # the recorded post


@pytest.fixture
def recorded_post(graph):  # type: ignore[no-untyped-def]
    graph.on(
        "GET", f"{V}/{POST}", Reply(200, recorded("facebook/apidata/posts/single_post_data.json"))
    )
    return graph


def test_figures_of_a_post_and_the_page(page_channel, recorded_post) -> None:
    views = {
        "data": [{"name": "post_media_view", "period": "lifetime", "values": [{"value": 321}]}]
    }
    recorded_post.on("GET", f"{V}/{POST}/insights", Reply(200, views))

    reading = collect_metrics(page_channel, [POST])

    # The recorded post has one "haha" and nothing else.
    assert reading.posts[POST] == {"likes": 1, "replies": 0, "shares": 0, "views": 321}
    asked = recorded_post.requests(f"{V}/{POST}/insights")
    assert [r.query["metric"] for r in asked] == ["post_media_view"]  # one metric per request
    assert "reactions.type(HAHA)" in recorded_post.requests(f"{V}/{POST}")[0].query["fields"]


def test_views_meta_will_not_give_are_not_available_not_zero(page_channel, recorded_post) -> None:
    too_few = {
        "error": {"message": "(#100) The value must be a valid insights metric", "code": 100}
    }
    recorded_post.on("GET", f"{V}/{POST}/insights", Reply(400, too_few))

    reading = collect_metrics(page_channel, [POST])

    assert "views" not in reading.posts[POST]  # absent: shown as "not available"
    assert reading.posts[POST]["likes"] == 1


def test_an_empty_insights_answer_is_no_figure(page_channel, recorded_post) -> None:
    recorded_post.on("GET", f"{V}/{POST}/insights", Reply(200, {"data": []}))

    assert "views" not in collect_metrics(page_channel, [POST]).posts[POST]


def test_a_deleted_post_is_missing(page_channel, graph) -> None:
    graph.on("GET", f"{V}/gone_1", Reply(400, recorded("base/error_data.json")))

    assert collect_metrics(page_channel, ["gone_1"]).missing == ["gone_1"]


def test_followers_of_the_page(page_channel, graph) -> None:
    graph.on(
        "GET", f"{V}/123", Reply(200, {"id": "123", "name": "AAAAAAAAA", "followers_count": 4200})
    )

    assert collect_metrics(page_channel).account == {"followers": 4200}
