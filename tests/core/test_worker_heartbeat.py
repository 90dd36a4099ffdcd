"""Worker heartbeats: a continuously beating worker that falls silent is noticed; one that beats,
one that never promised to beat continuously, and the worker asking are not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.core import heartbeats as worker_beats
from chorus.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def _row(worker: str, seconds_ago: float, every: float | None) -> None:
    seen = timezone.now() - timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(worker=worker, seen_at=seen, beats_every=every)


def test_a_continuous_beat_says_how_often() -> None:
    worker_beats.beat(every=0.5)
    worker_beats.beat(every=0.5)
    row = WorkerHeartbeat.objects.get(worker=worker_beats.worker_name())
    assert row.beats_every == 0.5
    assert WorkerHeartbeat.objects.count() == 1


def test_only_silent_continuous_workers_count_as_dead() -> None:
    _row("killed", seconds_ago=3, every=0.5)
    _row("alive", seconds_ago=0.2, every=0.5)
    _row("minute-beats-only", seconds_ago=50, every=None)
    worker_beats.beat(every=0.5)
    WorkerHeartbeat.objects.filter(worker=worker_beats.worker_name()).update(
        seen_at=timezone.now() - timedelta(seconds=10)
    )

    assert worker_beats.silent_workers(timezone.now()) == ["killed"]


def test_the_silence_threshold_is_a_setting(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHORUS_WORKER_SILENT_SECONDS = 10
    _row("slow", seconds_ago=3, every=0.5)
    assert worker_beats.silent_workers(timezone.now()) == []


def test_a_forgotten_worker_that_was_only_slow_beats_its_row_back() -> None:
    _row("killed", seconds_ago=3, every=0.5)
    worker_beats.forget_workers(["killed"])
    assert not WorkerHeartbeat.objects.filter(worker="killed").exists()
