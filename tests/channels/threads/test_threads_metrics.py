"""Threads insights: one metric per request, and a figure Meta does not give is not available.

No public recording of Threads insights exists: bodies follow Meta's documented shapes
(developers.facebook.com/docs/threads/insights).
"""

from __future__ import annotations

from chorus.channels.metrics import collect_metrics
from tests.channels.threads.conftest import USER, V
from tests.channels.threads.conftest import graph_error as error_body
from tests.loopback import Heard, Reply

POST_FIGURES = {"views": 120, "likes": 9, "replies": 3, "reposts": 2}


def _one_metric(heard: Heard) -> Reply:
    name = heard.query["metric"]
    if name not in POST_FIGURES:  # Meta gives nothing for it (not enough viewers)
        return Reply(200, {"data": []})
    row = {"name": name, "period": "lifetime", "values": [{"value": POST_FIGURES[name]}]}
    return Reply(200, {"data": [row]})


def _account(heard: Heard) -> Reply:
    name = heard.query["metric"]
    if name == "followers_count":
        return Reply(200, {"data": [{"name": name, "total_value": {"value": 4321}}]})
    return Reply(200, {"data": [{"name": "views", "values": [{"value": 70}, {"value": 30}]}]})


def test_each_figure_is_its_own_request_and_missing_ones_are_not_zero(
    meta, threads_channel
) -> None:
    meta.on("GET", f"{V}/1801/insights", _one_metric)
    meta.on("GET", f"{V}/{USER}/threads_insights", _account)

    reading = collect_metrics(threads_channel, ["1801"])

    asked = [h.query["metric"] for h in meta.requests(f"{V}/1801/insights")]
    assert sorted(asked) == ["likes", "quotes", "replies", "reposts", "views"]
    assert reading.posts["1801"] == {
        "likes": 9,
        "replies": 3,
        "reposts": 2,
        "views": 120,
    }  # no "quotes": not available, not 0
    assert reading.account == {"followers": 4321, "views": 100}


def test_a_refused_metric_does_not_lose_the_others(meta, threads_channel) -> None:
    def refuse_views(heard: Heard) -> Reply:
        if heard.query["metric"] == "views":
            return Reply(400, error_body(100, "(#100) The value must be a valid insights metric"))
        return _one_metric(heard)

    meta.on("GET", f"{V}/1801/insights", refuse_views)
    meta.on("GET", f"{V}/{USER}/threads_insights", _account)

    reading = collect_metrics(threads_channel, ["1801"])

    assert "views" not in reading.posts["1801"] and reading.posts["1801"]["likes"] == 9
