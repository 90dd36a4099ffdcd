from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "chorus.listening"
    label = "listening"

    def ready(self) -> None:
        # Importing the task modules binds listening's background work and registers its tasks
        # in every process, so a worker runs whatever task any process queued.
        from chorus.listening import tasks, tasks_alerts  # noqa: F401
