"""Every formula the analytics pages show, by id: the text shown on hover and in the glossary.

No vendor agrees on "engagement rate", so Chorus never shows a rate without saying which one.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PER_IMPRESSION = "rate_per_impression"
PER_REACH = "rate_per_reach"
PER_FOLLOWER = "rate_per_follower"
RATE_FORMULAS = (PER_IMPRESSION, PER_REACH, PER_FOLLOWER)

GLOSSARY: dict[str, tuple[Promise, Promise]] = {
    "engagements": (
        _("Engagements"),
        _(
            "Sum of the interactions the network reports for a post: likes or favourites, "
            "reposts or boosts, replies, quotes, reactions, saves and clicks where the network "
            "gives them. A count the network does not give is left out, never counted as 0."
        ),
    ),
    PER_IMPRESSION: (
        _("Engagement rate per impression"),
        _(
            "Engagements ÷ impressions (or views, where the network counts views), over the "
            "posts that have both figures."
        ),
    ),
    PER_REACH: (
        _("Engagement rate per reach"),
        _(
            "Engagements ÷ reach (the number of distinct accounts that saw the post), over the "
            "posts whose network reports reach."
        ),
    ),
    PER_FOLLOWER: (
        _("Engagement rate per follower"),
        _(
            "Engagements ÷ followers of the channel when the post was published, over the "
            "posts for which that follower count was recorded."
        ),
    ),
    "impressions": (
        _("Impressions or views"),
        _("How many times posts were shown, or viewed where the network counts views instead."),
    ),
    "reach": (
        _("Reach"),
        _("Sum of the distinct accounts that saw each post, where the network reports it."),
    ),
    "followers_gained": (
        _("Followers gained"),
        _(
            "For each channel, followers on the last day of the period with a count minus "
            "followers on the day before the period (or its first day with a count), summed."
        ),
    ),
    "change": (
        pgettext_lazy("difference between two periods", "Change"),
        _(
            "(this period − previous period) ÷ previous period, for a period of the same "
            "length just before. Not shown when the previous value is 0 or not available. For "
            "a rate, the change is the difference in percentage points."
        ),
    ),
    "response_time": (
        _("First response time"),
        _(
            "Time between the first message of a conversation and the team's first answer, "
            "counting only business hours. Median: half the answers came faster. 90th "
            "percentile: nine answers in ten came faster."
        ),
    ),
    "sla_hit_rate": (
        _("Response target hit rate"),
        _(
            "Conversations answered within the response target (in business hours) ÷ "
            "conversations answered, plus those still unanswered past the target."
        ),
    ),
    "best_time": (
        _("Best time to post"),
        _(
            "For each hour of the week in the workspace's time zone: the median engagements of "
            "the posts published in that hour over the last weeks. An hour with too few posts "
            "is not scored."
        ),
    ),
}


def formula_text(formula_id: str) -> str:
    return str(GLOSSARY[formula_id][1])


def formula_name(formula_id: str) -> str:
    return str(GLOSSARY[formula_id][0])
