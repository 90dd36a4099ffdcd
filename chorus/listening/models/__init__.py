"""Listening's tables, one module per family so each reads on its own.

Every row carries its workspace and every query filters on it (invariant 2).
"""

from chorus.listening.models.alerts import Alert, AlertDestination, AlertPreference
from chorus.listening.models.crisis import (
    ContactKind,
    Crisis,
    CrisisEvent,
    CrisisMention,
    CrisisStatus,
    CrisisTask,
    Decision,
    EventKind,
    HoldingStatement,
    Playbook,
    PlaybookContact,
    PlaybookStep,
    StatementApproval,
)
from chorus.listening.models.mentions import Mention, MentionMatch
from chorus.listening.models.queries import ListeningQuery, QueryKind
from chorus.listening.models.sources import ListeningSource, SourceHealth

__all__ = [
    "Alert",
    "AlertDestination",
    "AlertPreference",
    "ContactKind",
    "Crisis",
    "CrisisEvent",
    "CrisisMention",
    "CrisisStatus",
    "CrisisTask",
    "Decision",
    "EventKind",
    "HoldingStatement",
    "ListeningQuery",
    "ListeningSource",
    "Mention",
    "MentionMatch",
    "Playbook",
    "PlaybookContact",
    "PlaybookStep",
    "QueryKind",
    "SourceHealth",
    "StatementApproval",
]
