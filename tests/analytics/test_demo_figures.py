"""The demo workspace's year of figures: realistic shapes, and never anywhere else."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from chorus.analytics import figures
from chorus.analytics.demo import fill_analytics_demo
from chorus.analytics.figures import Period
from chorus.analytics.models import ChannelDay, PostMetrics, PostSnapshot
from chorus.today.demo import create_demo
from chorus.workspaces.models import Workspace


@pytest.mark.django_db
def test_a_year_of_figures_for_the_demo_workspace() -> None:
    workspace, _ = create_demo("demo-password")
    today = timezone.localdate(timezone=ZoneInfo(workspace.timezone))
    year = Period.last_days(365, today)

    assert ChannelDay.objects.filter(workspace=workspace).count() == 2 * 365
    assert PostMetrics.objects.filter(workspace=workspace).count() > 300
    assert PostSnapshot.objects.filter(workspace=workspace).count() > 1500
    seen = figures.overview(workspace, Period.last_days(30, today))
    assert seen.posts.value and seen.engagements.value
    assert seen.impressions.value is None  # neither Mastodon nor Bluesky gives impressions
    assert seen.rates[2].rate is not None  # per follower: the one both networks allow
    assert (figures.followers_gained(workspace, year) or 0) > 1000  # growth over the year
    best = figures.best_times(workspace)
    assert best.enough_data
    (top,) = figures.suggest_slots(workspace, 1)
    assert 17 <= top.hour <= 21  # evenings engage most in the demo's history


def test_never_for_a_real_workspace(workspace_a: Workspace) -> None:
    with pytest.raises(ValueError):
        fill_analytics_demo(workspace_a, timezone.now() - timedelta(days=1))
    assert not PostMetrics.objects.filter(workspace=workspace_a).exists()
