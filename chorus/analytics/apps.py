from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "chorus.analytics"
    label = "analytics"

    def ready(self) -> None:
        # Registers the periodic tasks in every process, so a worker runs them; the report tasks
        # also bind "send now" for the schedules page (core.background).
        from chorus.analytics import tasks, tasks_reports  # noqa: F401
