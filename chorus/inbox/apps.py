from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "chorus.inbox"
    label = "inbox"

    def ready(self) -> None:
        # The task modules bind the inbox's background work (background.py) and register their
        # tasks: in every process, so a worker runs whatever task any process queued.
        from chorus.inbox import tasks, tasks_rules  # noqa: F401
