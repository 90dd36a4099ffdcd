"""Figures are asked one metric per request with 2025+ names; what Meta does not give is not
available (left out), never 0."""

from __future__ import annotations

from chorus.channels.base import PostMetrics
from chorus.channels.metrics import post_figures
from chorus.channels.networks.instagram.figures import insight_value
from chorus.channels.networks.instagram.network import Instagram
from tests.channels.instagram.conftest import IG_USER, at
from tests.channels.meta.recordings import recorded
from tests.loopback import Heard, Reply

MEDIA = "17846368219941692"
RETIRED = Reply(400, {"error": {"code": 100, "message": "(#100) metric[0] must be one of the following values: …"}})  # fmt: skip


def one_metric(heard: Heard) -> Reply:
    """Meta's answer to one metric, from the recorded ``insights.json`` (its ``reach`` and
    ``saved``), and refused for the others as for a retired or unknown metric."""
    recorded_answer = recorded("instagram/apidata/medias/insights.json")
    wanted = heard.query["metric"]
    found = [entry for entry in recorded_answer["data"] if entry["name"] == wanted]
    return Reply(200, {"data": found}) if found else RETIRED


def test_post_figures_one_metric_per_request(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    graph.on("GET", at(MEDIA), Reply(200, {"id": MEDIA, "like_count": 3, "comments_count": 6}))
    graph.on("GET", at(f"{MEDIA}/insights"), one_metric)

    metrics = instagram.metrics(MEDIA)

    asked = [heard.query["metric"] for heard in graph.requests(at(f"{MEDIA}/insights"))]
    assert asked == ["views", "reach", "saved", "shares", "total_interactions"]
    assert (metrics.likes, metrics.replies) == (3, 6)
    assert metrics.extra == {"reach": 5, "saved": 0}  # a real 0 stays 0
    assert metrics.shares is None
    assert metrics.views is None  # not given: not available
    figures = post_figures(metrics, Instagram.post_metrics)
    assert figures == {"likes": 3, "replies": 6, "reach": 5, "saved": 0}
    assert "shares" not in figures and "views" not in figures


def test_account_figures_followers_and_insights(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    new_shape = recorded("instagram/apidata/users/user_insights_new.json")

    def account_metric(heard: Heard) -> Reply:
        if heard.query["metric"] == "reach":
            return Reply(200, new_shape)
        return RETIRED

    graph.on("GET", at(f"{IG_USER}/insights"), account_metric)
    graph.on("GET", at(IG_USER), Reply(200, recorded("instagram/apidata/users/user_fields.json")))

    assert instagram.audience() == {"reach": 14516883}
    assert instagram.whoami().followers == 64363
    first = graph.requests(at(f"{IG_USER}/insights"))[0]
    assert (first.query["period"], first.query["metric_type"]) == ("day", "total_value")


def test_insight_values_in_both_shapes() -> None:
    old = recorded("instagram/apidata/users/user_insights.json")
    assert insight_value(old, "impressions") == 66  # the latest day
    assert insight_value(old, "views") is None
    assert insight_value({"data": "nonsense"}, "reach") is None
    assert insight_value({"data": [{"name": "reach", "values": [{"value": "x"}]}]}, "reach") is None


def test_post_metrics_of_an_empty_answer_are_not_zero() -> None:
    assert post_figures(PostMetrics(views=None), frozenset({"views", "reach"})) == {}
