"""The inbox's background work, as its services ask for it (see :mod:`chorus.core.background`).

:mod:`.tasks` and :mod:`.tasks_rules` bind each kind of work to their task when imported, which
``InboxConfig.ready`` does; services call these and never import a task module.
"""

from __future__ import annotations

from chorus.core.background import after_commit, later


def poll_channel(channel_id: int) -> None:
    later("inbox", "poll_channel", channel_id)


def store_webhook_delivery(channel_id: int, body: bytes) -> None:
    later("inbox", "store_webhook_delivery", channel_id, body)


def retrain_after_commit(workspace_id: int, field: str) -> None:
    after_commit("inbox", "retrain", workspace_id, field)


def moderate_after_commit(action_id: int, verb: str) -> None:
    """Hide, delete or unhide on the network; after commit, so the worker finds the action."""
    after_commit("inbox", "moderate_on_network", action_id, verb)
