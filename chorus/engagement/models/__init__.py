"""Engagement's tables, one module per family; importing them here registers them with Django."""

from chorus.engagement.models import contests, polls, relations  # noqa: F401
from chorus.engagement.models.contests import (
    Contest,
    ContestEvent,
    ContestStatus,
    EntryExclusion,
    EventKind,
    RandomnessSource,
    Substitution,
)

__all__ = [
    "Contest",
    "ContestEvent",
    "ContestStatus",
    "EntryExclusion",
    "EventKind",
    "RandomnessSource",
    "Substitution",
]
