from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chorus.core"
    label = "core"
