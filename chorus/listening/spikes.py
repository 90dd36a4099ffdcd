"""Spike detection, run as mentions arrive (the spikes work fills this module in)."""

from __future__ import annotations

from chorus.listening.models import Alert
from chorus.listening.stored import StoredBatch


def check_after_batch(stored: StoredBatch) -> list[Alert]:
    """The alerts the queries this batch matched now call for (none until detection is built)."""
    return []
