"""Spike detection, run inline as each batch of mentions is stored (not by an hourly job).

For every query the batch matched, the 15-minute window ending at its newest mention is counted
(all mentions, and negative ones) and compared with the query's baseline for that hour of the
week (:mod:`.baselines`). The window is a spike when

    count ≥ max(minimum count, smallest c with P(X ≥ c | X ~ Poisson(λ)) < α)

with λ = max(baseline, 1) and α = 10⁻⁶ (:mod:`.poisson`). A query alerts at most once per kind
per cool-down. The alert keeps its figures and what lies behind them (:mod:`.explain`), and is
handed to delivery once the transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from chorus.listening import delivery
from chorus.listening.baselines import WINDOW, Baseline, baseline_for
from chorus.listening.explain import explain
from chorus.listening.models import Alert, ListeningQuery, MentionMatch
from chorus.listening.models.alerts import AlertKind
from chorus.listening.poisson import ALPHA, LAMBDA_FLOOR, spike_threshold, tail_probability
from chorus.listening.stored import StoredBatch


@dataclass(frozen=True)
class Window:
    query: ListeningQuery
    start: datetime
    end: datetime
    volume: int
    negative: int


def check_after_batch(stored: StoredBatch) -> list[Alert]:
    """The alerts the queries this batch matched now call for, created and sent on their way."""
    if not stored.mention_ids or not stored.matched_query_ids:
        return []
    crossed_at = stored.stored_at or timezone.now()
    alerts = []
    for query, newest in _newest_matches(stored):
        alerts.extend(check_query(query, newest, crossed_at=crossed_at))
    return alerts


def _newest_matches(stored: StoredBatch) -> list[tuple[ListeningQuery, datetime]]:
    """Per query, the newest publication time among this batch's mentions: the window ends there."""
    newest = dict(
        MentionMatch.objects.filter(
            workspace_id=stored.workspace_id,
            query_id__in=stored.matched_query_ids,
            mention_id__in=stored.mention_ids,
        )
        .values("query_id")
        .annotate(newest=Max("published_at"))
        .values_list("query_id", "newest")
    )
    queries = ListeningQuery.objects.filter(
        workspace_id=stored.workspace_id, pk__in=newest, is_active=True
    )
    return [(query, newest[query.pk]) for query in queries]


def check_query(query: ListeningQuery, end: datetime, *, crossed_at: datetime) -> list[Alert]:
    """Alerts for the window of ``query`` ending at ``end``, if it is a spike (both kinds)."""
    window = count_window(query, end)
    baseline = baseline_for(query, end)
    alerts = []
    for kind, count, expected in (
        (AlertKind.VOLUME, window.volume, baseline.volume),
        (AlertKind.NEGATIVE, window.negative, baseline.negative),
    ):
        threshold = max(query.alert_min_count, spike_threshold(expected))
        if count >= threshold:
            alert = _raise(window, kind, count, expected, threshold, baseline, crossed_at)
            if alert is not None:
                alerts.append(alert)
    return alerts


def count_window(query: ListeningQuery, end: datetime) -> Window:
    start = end - WINDOW
    found = MentionMatch.objects.filter(
        query=query, published_at__gt=start, published_at__lte=end
    ).aggregate(volume=Count("pk"), negative=Count("pk", filter=Q(negative=True)))
    return Window(query, start, end, found["volume"], found["negative"])


def _raise(
    window: Window,
    kind: str,
    count: int,
    expected: float,
    threshold: int,
    baseline: Baseline,
    crossed_at: datetime,
) -> Alert | None:
    query = window.query
    with transaction.atomic():
        # Two workers storing batches of the same query at once must not both alert.
        ListeningQuery.objects.select_for_update().filter(pk=query.pk).first()
        if _cooling_down(query, kind, window.end):
            return None
        why = explain(query, window.start, window.end, negative_only=kind == AlertKind.NEGATIVE)
        why |= _figures(kind, count, expected, threshold, baseline)
        alert = Alert.objects.create(
            workspace_id=query.workspace_id,
            query=query,
            kind=kind,
            window_start=window.start,
            window_end=window.end,
            count=count,
            baseline=round(expected, 3),
            threshold=threshold,
            formula=formula(count, expected, query.alert_min_count),
            explanation=why,
            crossed_at=crossed_at,
        )
        delivery.deliver_after_commit(alert)
    return alert


def _cooling_down(query: ListeningQuery, kind: str, end: datetime) -> bool:
    cooldown = timedelta(minutes=query.alert_cooldown_minutes)
    return Alert.objects.filter(
        query=query, kind=kind, window_end__gt=end - cooldown, window_end__lt=end + cooldown
    ).exists()


def formula(count: int, expected: float, minimum: int) -> str:
    lam = max(expected, LAMBDA_FLOOR)
    return f"P(X ≥ {count} | X ~ Poisson(λ = {lam:.2f})) < α = {ALPHA:g} and {count} ≥ {minimum}"


def _figures(
    kind: str, count: int, expected: float, threshold: int, baseline: Baseline
) -> dict[str, object]:
    samples = baseline.negative_samples if kind == AlertKind.NEGATIVE else baseline.volume_samples
    return {
        "window_minutes": int(WINDOW.total_seconds() // 60),
        "method": baseline.method,
        "periods": baseline.periods,
        "samples": list(samples),
        "lambda": max(expected, LAMBDA_FLOOR),
        "alpha": ALPHA,
        "p_value": tail_probability(count, expected),
    }
