from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "chorus.listening"
    label = "listening"
