"""A year of demo figures for the demo workspace only: posts, their readings, channel days.

Made up, and said so: these rows exist only in the demo workspace (``is_demo``), which a banner
marks as such on every page; no real workspace ever gets them. The shape is realistic so the
dashboard can be judged: audiences grow, posts follow a weekly rhythm, evenings engage most.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from chorus.analytics.models import ChannelDay, PostMetrics, PostSnapshot
from chorus.analytics.network_figures import engagements, figures_of_network
from chorus.channels.models import Channel
from chorus.publishing.models import Post, PostTarget, State
from chorus.workspaces.models import Workspace

DAYS = 365
READ_AT_HOURS = (1, 6, 24, 72, 168, 720)  # the collection's decaying schedule
SHARE_AT = (0.3, 0.6, 0.82, 0.93, 0.98, 1.0)  # of the final figures, read at each age
# Followers a year ago and today, per network (Bluesky grows faster from a smaller base).
GROWTH = {"mastodon": (1850, 3400), "bluesky": (320, 1900)}
POSTS_PER_WEEKDAY = (0.6, 0.9, 1.0, 0.9, 0.8, 0.5, 0.3)  # chance of a post, Monday first
HOURS = (8, 9, 12, 13, 17, 18, 19, 20, 21)
EVENING_LIFT = {17: 1.2, 18: 1.5, 19: 1.8, 20: 1.7, 21: 1.4, 12: 1.1, 13: 1.0}
TEXTS = (
    "Latte du jour : {flavour}. Seulement aujourd'hui ☕",
    "Nouvel arrivage : {origin}, torréfié ici cette semaine.",
    "Atelier latte art samedi à 10 h : il reste quelques places !",
    "Soirée jeux de société jeudi dès 19 h, venez nombreux.",
    "This week's single origin: {origin}. Notes of {flavour}.",
    "Merci pour vos messages après l'atelier, on en refait un bientôt.",
    "Brunch du dimanche : réservez votre table au comptoir.",
    "Concert acoustique vendredi soir, entrée libre.",
    "Fresh from the oven: {flavour} cake, only this weekend.",
    "Les coulisses de la torréfaction en photos 📸",
)
FLAVOURS = ("caramel beurre salé", "noisette", "cardamome", "citron", "pomme cannelle", "chai")
ORIGINS = ("Huila, Colombie", "Sidamo, Éthiopie", "Cerrado, Brésil", "Antigua, Guatemala")


def followers_on(network: str, n: int, rng: random.Random) -> int:
    """Day ``n`` of the year (0 = a year ago): steady growth with a little daily noise."""
    start, end = GROWTH.get(network, (500, 900))
    trend = start + (end - start) * (n / DAYS) ** 1.1
    return max(int(trend + rng.uniform(-6, 6)), 0)


@transaction.atomic
def fill_analytics_demo(workspace: Workspace, now: datetime) -> int:
    """A year of history for every channel of the demo workspace; returns the posts made."""
    if not workspace.is_demo:
        raise ValueError("Demo figures go into the demo workspace only.")
    rng = random.Random(20261207)
    zone = ZoneInfo(workspace.timezone)
    today = now.astimezone(zone).date()
    planned = list(
        PostTarget.objects.filter(
            workspace=workspace, state=State.PUBLISHED, metrics__isnull=True
        ).select_related("channel")
    )
    made = 0
    for channel in Channel.objects.filter(workspace=workspace).order_by("pk"):
        made += _fill_channel(workspace, channel, today, now, zone, rng)
    for target in planned:  # the demo plan's own published posts get figures too
        at = target.published_at or now
        followers = GROWTH.get(target.channel.network, (500, 900))[1]
        _measure(workspace, target.channel, [(target, at, followers)], now, rng)
    return made + len(planned)


def _fill_channel(
    workspace: Workspace,
    channel: Channel,
    today: date,
    now: datetime,
    zone: ZoneInfo,
    rng: random.Random,
) -> int:
    first = today - timedelta(days=DAYS)
    days, planned = [], []
    for n in range(DAYS):
        day = first + timedelta(days=n)
        followers = followers_on(channel.network, n, rng)
        times = _posting_times(day, zone, rng)
        planned += [(at, followers) for at in times if at < now - timedelta(hours=2)]
        days.append(ChannelDay(workspace=workspace, channel=channel, day=day, followers=followers,
                               posts_published=len(times)))  # fmt: skip
    ChannelDay.objects.bulk_create(days, ignore_conflicts=True)
    _publish(workspace, channel, planned, now, rng)
    return len(planned)


def _posting_times(day: date, zone: ZoneInfo, rng: random.Random) -> list[datetime]:
    if rng.random() > POSTS_PER_WEEKDAY[day.weekday()]:
        return []
    hour = rng.choice(HOURS)
    return [datetime.combine(day, time(hour, rng.choice((0, 15, 30, 45))), tzinfo=zone)]


def _publish(
    workspace: Workspace,
    channel: Channel,
    planned: list[tuple[datetime, int]],
    now: datetime,
    rng: random.Random,
) -> None:
    posts = Post.objects.bulk_create(
        Post(workspace=workspace, text=_text(rng), created_at=at) for at, _ in planned
    )
    targets = PostTarget.objects.bulk_create(
        PostTarget(
            workspace=workspace,
            post=post,
            channel=channel,
            text=post.text,
            state=State.PUBLISHED,
            published_at=at,
            scheduled_at=at,
            remote_id=f"demo-history-{post.pk}",
            state_changed_at=at,
        )  # fmt: skip
        for post, (at, _) in zip(posts, planned, strict=True)
    )
    _measure(
        workspace,
        channel,
        [(t, at, f) for t, (at, f) in zip(targets, planned, strict=True)],
        now,
        rng,
    )


def _measure(
    workspace: Workspace,
    channel: Channel,
    published: list[tuple[PostTarget, datetime, int]],
    now: datetime,
    rng: random.Random,
) -> None:
    """Figures and their readings for posts already out (the year's, and the demo plan's)."""
    metrics, snapshots = [], []
    for target, at, followers in published:
        final = _final_figures(channel.network, at, followers, rng)
        reads = [h for h in READ_AT_HOURS if at + timedelta(hours=h) <= now]
        snapshots += _readings(workspace, target, at, final, reads)
        share = SHARE_AT[len(reads) - 1] if reads else 0
        latest = {k: int(v * share) for k, v in final.items()} if reads else {}
        metrics.append(_metrics_row(workspace, channel, target, at, followers, latest, len(reads)))
    PostMetrics.objects.bulk_create(metrics)
    PostSnapshot.objects.bulk_create(snapshots, batch_size=1000)


def _readings(
    workspace: Workspace, target: PostTarget, at: datetime, final: dict[str, int], reads: list[int]
) -> list[PostSnapshot]:
    """The figures as read at each age: most of them come in the first day."""
    return [
        PostSnapshot(
            workspace=workspace,
            target=target,
            age_hours=hours,
            taken_at=at + timedelta(hours=hours),
            **{name: int(value * share) for name, value in final.items()},
        )
        for hours, share in zip(reads, SHARE_AT, strict=False)
    ]


def _metrics_row(
    workspace: Workspace,
    channel: Channel,
    target: PostTarget,
    at: datetime,
    followers: int,
    latest: dict[str, int],
    step: int,
) -> PostMetrics:
    return PostMetrics(
        workspace=workspace,
        target=target,
        channel=channel,
        network=channel.network,
        published_at=at,
        followers_at_publish=followers,
        engagements=engagements(channel.network, latest) if latest else None,
        step=step,
        next_read_at=None,  # demo channels are not linked: nothing is ever read from a network
        last_read_at=at + timedelta(hours=READ_AT_HOURS[step - 1]) if step else None,
        **latest,
    )


def _final_figures(
    network: str, at: datetime, followers: int, rng: random.Random
) -> dict[str, int]:
    """What the post ends up with: a share of the audience, lifted in the evenings."""
    lift = EVENING_LIFT.get(at.hour, 0.8) * (1.15 if at.weekday() in (1, 2, 3) else 1.0)
    base = followers * rng.uniform(0.006, 0.03) * lift
    figures = {
        "likes": base,
        "shares": base * rng.uniform(0.15, 0.35),
        "replies": base * rng.uniform(0.05, 0.2),
        "quotes": base * rng.uniform(0.0, 0.05),
        "saves": base * rng.uniform(0.02, 0.08),
    }
    given = figures_of_network(network).post_figures  # the others stay NULL: not available
    return {name: max(int(value), 0) for name, value in figures.items() if name in given}


def _text(rng: random.Random) -> str:
    return rng.choice(TEXTS).format(flavour=rng.choice(FLAVOURS), origin=rng.choice(ORIGINS))
