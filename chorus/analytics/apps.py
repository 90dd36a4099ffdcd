from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "chorus.analytics"
    label = "analytics"

    def ready(self) -> None:
        # Registers the periodic tasks in every process, so a worker runs them.
        from chorus.analytics import tasks  # noqa: F401
