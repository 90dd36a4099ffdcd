"""The analytics dashboard: overview, channels, posts, one post, community, best times, glossary.

Thin views: read the range, ask ``analytics.figures``, render. Every figure is of the person's
current workspace only; a post of another workspace is a 404, like one that does not exist.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from chorus.analytics import figures, presenters
from chorus.analytics.forms import RangeForm
from chorus.analytics.glossary import GLOSSARY, RATE_FORMULAS
from chorus.analytics.models import PostMetrics
from chorus.analytics.network_figures import figures_of_network
from chorus.analytics.snapshots import history_of
from chorus.channels.models import Channel
from chorus.core.timeutil import local_now
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest

POSTS_PER_PAGE = 50
SORTABLE = (
    "engagements",
    "published_at",
    "likes",
    "shares",
    "replies",
    "impressions",
    "reach",
    *RATE_FORMULAS,
)


def _ranged(request: WorkspaceRequest, tab: str) -> dict[str, Any]:
    """The chosen period and what every analytics page shows around it."""
    today = local_now(request.workspace.timezone).date()
    form = RangeForm(request.GET or None, today)
    keep = {k: request.GET[k] for k in ("range", "start", "end") if request.GET.get(k)}
    return {
        "tab": tab,
        "form": form,
        "period": form.period(),
        "range_query": urlencode(keep),
    }


@workspace_view()
def dashboard(request: WorkspaceRequest) -> HttpResponse:
    context = _ranged(request, "overview")
    workspace, period = request.workspace, context["period"]
    found = figures.overview(workspace, period)
    context.update(
        overview=found,
        followers=presenters.followers_chart(figures.followers_by_day(workspace, period)),
        posts=presenters.posts_chart(figures.publishing(workspace, period).per_day),
        channels=figures.per_channel(workspace, period),
        top=figures.top_posts(workspace, period, limit=5),
        bottom=figures.top_posts(workspace, period, limit=5, worst=True),
        has_channels=Channel.objects.filter(workspace=workspace).exists(),
    )
    return render(request, "analytics/dashboard.html", context)


@workspace_view()
def channels(request: WorkspaceRequest) -> HttpResponse:
    context = _ranged(request, "channels")
    workspace, period = request.workspace, context["period"]
    growth = {a.channel_id: a for a in figures.audience(workspace, period)}
    rows = figures.per_channel(workspace, period)
    published = {row.channel_id for row in rows}
    context.update(
        rows=[(row, growth.get(row.channel_id), figures_of_network(row.network)) for row in rows],
        quiet=[
            (a, figures_of_network(a.network))
            for a in growth.values()
            if a.channel_id not in published
        ],
    )
    return render(request, "analytics/channels.html", context)


@workspace_view()
def posts(request: WorkspaceRequest) -> HttpResponse:
    context = _ranged(request, "posts")
    order = request.GET.get("order", "engagements")
    order = order if order in SORTABLE else "engagements"
    worst = request.GET.get("worst") == "1"
    found = figures.top_posts(
        request.workspace, context["period"], order, limit=POSTS_PER_PAGE, worst=worst
    )
    context.update(posts=found, order=order, worst=worst, sortable=SORTABLE)
    return render(request, "analytics/posts.html", context)


@workspace_view()
def post(request: WorkspaceRequest, target_id: int) -> HttpResponse:
    row = get_object_or_404(
        PostMetrics.objects.select_related("target__post", "channel"),
        workspace=request.workspace,
        target_id=target_id,
    )
    context = {
        "tab": "posts",
        "post": figures.post_figures(row),
        "network": figures_of_network(row.network),
        "history": history_of(row),
        "rate_formulas": RATE_FORMULAS,
    }
    return render(request, "analytics/post.html", context)


@workspace_view()
def community(request: WorkspaceRequest) -> HttpResponse:
    context = _ranged(request, "community")
    found = figures.community(request.workspace, context["period"])
    context.update(
        community=found,
        sentiment=presenters.sentiment_chart(found.sentiment, found.sentiment_by),
    )
    return render(request, "analytics/community.html", context)


@workspace_view()
def best_times(request: WorkspaceRequest) -> HttpResponse:
    workspace, now = request.workspace, timezone.now()
    found = figures.best_times(workspace, now=now)
    suggested = figures.suggest_slots(workspace, 5, now=now) if found.enough_data else []
    names = presenters.day_names()
    context = {
        "tab": "best_times",
        "found": found,
        "chart": presenters.best_times_chart(found),
        "suggested": [(s, names[s.weekday], s.next_at(now, workspace.timezone)) for s in suggested],
        "min_posts": figures.MIN_POSTS,
        "min_per_slot": figures.MIN_POSTS_PER_SLOT,
    }
    return render(request, "analytics/best_times.html", context)


@workspace_view()
def glossary(request: WorkspaceRequest) -> HttpResponse:
    networks = sorted(
        {c.network for c in Channel.objects.filter(workspace=request.workspace).only("network")}
    )
    context = {
        "tab": "glossary",
        "entries": [(key, str(name), str(text)) for key, (name, text) in GLOSSARY.items()],
        "networks": [figures_of_network(key) for key in networks],
    }
    return render(request, "analytics/glossary.html", context)
