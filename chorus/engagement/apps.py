from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "chorus.engagement"
    label = "engagement"

    def ready(self) -> None:
        # Importing the task modules registers engagement's periodic work in every process.
        from chorus.engagement import tasks_polls  # noqa: F401
