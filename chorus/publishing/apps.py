from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "chorus.publishing"
    label = "publishing"

    def ready(self) -> None:
        # The task module binds publishing's background work (chorus.core.background).
        from chorus.publishing import tasks  # noqa: F401
