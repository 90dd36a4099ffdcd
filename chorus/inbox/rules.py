"""Moderation rules: conditions, actions, applying them to new messages, and the dry run."""

from __future__ import annotations

from chorus.inbox.models import Message, RuleAction
from chorus.workspaces.models import Workspace


def apply_rules(workspace: Workspace, messages: list[Message]) -> list[RuleAction]:
    """Run the workspace's enabled rules, in order, on freshly stored incoming messages."""
    return []
