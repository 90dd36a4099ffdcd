"""When a published post's figures are read: a decaying schedule, spread out.

Most interactions come in the first hours, so reads are dense at first and sparse later. Each
read is moved by a small jitter, steady for one post, so a thousand posts published at 9:00
are not all read at 10:00:00 (the network's rate limit, and our own workers, see them spread).
"""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta

# Hours after publishing at which the figures are read; the last read ends the schedule.
READ_AFTER = (
    timedelta(hours=1),
    timedelta(hours=6),
    timedelta(hours=24),
    timedelta(days=3),
    timedelta(days=7),
    timedelta(days=30),
)
# The most a read is moved: a tenth of the wait, and never more than ten minutes.
MAX_JITTER = timedelta(minutes=10)
# A post published longer ago than this is never scheduled (its last read has passed).
TRACKED_FOR = READ_AFTER[-1] + timedelta(days=1)


def jitter(target_id: int, step: int) -> timedelta:
    """A steady, spread offset for one post's read ``step`` (the same on every worker)."""
    bound = min(MAX_JITTER, READ_AFTER[step] / 10)
    spread = zlib.crc32(f"{target_id}:{step}".encode()) / 0xFFFFFFFF
    return timedelta(seconds=round(bound.total_seconds() * spread))


def read_at(published_at: datetime, target_id: int, step: int) -> datetime | None:
    """When read ``step`` is due (None once every read is done)."""
    if step >= len(READ_AFTER):
        return None
    return published_at + READ_AFTER[step] + jitter(target_id, step)


def step_after_read(published_at: datetime, read_time: datetime, step: int) -> int:
    """The next step once read ``step`` is done at ``read_time``: a late read (after downtime,
    or a long rate-limit wait) also stands for the steps whose time has passed meanwhile."""
    age = read_time - published_at
    passed = sum(1 for wait in READ_AFTER if wait <= age)
    return max(step + 1, passed)
