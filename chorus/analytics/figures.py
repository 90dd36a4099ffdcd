"""The figures of a workspace over a period: the one API pages, reports and the CLI read.

Split by family; everything is re-exported here so callers import ``chorus.analytics.figures``.
Every figure is computed from stored rows (database aggregates), and a figure no network gives is
None — shown as "not available", never as 0.
"""

from __future__ import annotations

from chorus.analytics.best_times import (
    MIN_POSTS,
    MIN_POSTS_PER_SLOT,
    BestTimes,
    Slot,
    best_times,
    suggest_slots,
)
from chorus.analytics.figures_audience import (
    ChannelAudience,
    Publishing,
    audience,
    followers_by_day,
    publishing,
)
from chorus.analytics.figures_community import (
    ChannelCommunity,
    Community,
    Moderation,
    PersonCommunity,
    Responses,
    SentimentBucket,
    community,
    percentile,
)
from chorus.analytics.figures_listening import Listening, listening
from chorus.analytics.figures_posts import (
    ORDERS,
    ChannelFigures,
    Figure,
    FollowerCount,
    Overview,
    PostFigures,
    Rate,
    RateFigure,
    follower_counts,
    followers_gained,
    overview,
    per_channel,
    post_figures,
    published_in,
    rate,
    top_posts,
)
from chorus.analytics.glossary import GLOSSARY, RATE_FORMULAS, formula_name, formula_text
from chorus.analytics.periods import Period

__all__ = [
    "GLOSSARY",
    "MIN_POSTS",
    "MIN_POSTS_PER_SLOT",
    "ORDERS",
    "RATE_FORMULAS",
    "BestTimes",
    "ChannelAudience",
    "ChannelCommunity",
    "ChannelFigures",
    "Community",
    "Figure",
    "Listening",
    "FollowerCount",
    "Moderation",
    "Overview",
    "Period",
    "PersonCommunity",
    "PostFigures",
    "Publishing",
    "Rate",
    "RateFigure",
    "Responses",
    "SentimentBucket",
    "Slot",
    "audience",
    "best_times",
    "community",
    "follower_counts",
    "followers_by_day",
    "followers_gained",
    "formula_name",
    "formula_text",
    "listening",
    "overview",
    "per_channel",
    "percentile",
    "post_figures",
    "publishing",
    "published_in",
    "rate",
    "suggest_slots",
    "top_posts",
]
