from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chorus.core"
    label = "core"

    def ready(self) -> None:
        from chorus.core import writes

        # Every connection watches its writes, so kept pages know when they are out of date.
        writes.start_watching()
