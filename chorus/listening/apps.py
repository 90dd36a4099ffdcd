from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "chorus.listening"
    label = "listening"

    def ready(self) -> None:
        # Task modules bind listening's background work by name, in every process.
        from chorus.listening import tasks_alerts  # noqa: F401
