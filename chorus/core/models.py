from __future__ import annotations

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """One row per worker process; /healthz reads the newest to tell whether work gets done."""

    worker = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)
    runs_periodic = models.BooleanField(default=False)
    # Set by workers that beat continuously (``chorus worker``): silent for a few beats means
    # dead, and what it held is handed back. Rows without it only tell /healthz.
    beats_every = models.FloatField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.worker} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
