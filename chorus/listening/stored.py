"""What storing one batch of heard posts produced: the hand-over from ingest to spike checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class StoredBatch:
    workspace_id: int
    source_id: int | None
    mention_ids: list[int] = field(default_factory=list)  # newly stored (duplicates left out)
    matched_query_ids: list[int] = field(default_factory=list)  # queries with new matches
    stored_at: datetime | None = None  # when the batch was committed: alert latency starts here
