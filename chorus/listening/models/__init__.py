"""Listening's tables, one module per family so each reads on its own.

Every row carries its workspace and every query filters on it (invariant 2).
"""

from chorus.listening.models.alerts import Alert, AlertDestination, AlertPreference
from chorus.listening.models.mentions import Mention, MentionMatch
from chorus.listening.models.queries import ListeningQuery, QueryKind
from chorus.listening.models.sources import ListeningSource, SourceHealth

__all__ = [
    "Alert",
    "AlertDestination",
    "AlertPreference",
    "ListeningQuery",
    "ListeningSource",
    "Mention",
    "MentionMatch",
    "QueryKind",
    "SourceHealth",
]
