"""Background work as services ask for it, done by the tasks the apps' task modules bind.

Services do not import task modules: the task modules import the services, and importing back
made hidden import cycles. A service asks for work by name (``later("inbox", "poll_channel",
channel.pk)``); each app's task module binds its tasks by name when it is imported, which the
app's ``ready()`` does in every process, so a worker also knows every task from the start,
whichever process queued it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

Task = Callable[..., object]
_bound: dict[tuple[str, str], Task] = {}


def bind(app: str, **tasks: Task) -> None:
    """Called by an app's task module: which task does each kind of work it offers."""
    for work, task in tasks.items():
        _bound[(app, work)] = task


def task_for(app: str, work: str) -> Task:
    try:
        return _bound[(app, work)]
    except KeyError:
        raise RuntimeError(f"No task does {app} {work!r}: is chorus.{app} installed?") from None


def later(app: str, work: str, *args: object) -> None:
    task_for(app, work)(*args)


def after_commit(app: str, work: str, *args: object) -> None:
    """Queue once the transaction commits, so the worker finds what the task reads."""
    task = task_for(app, work)
    transaction.on_commit(lambda: task(*args))
