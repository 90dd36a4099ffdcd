from django.apps import AppConfig


class TodayConfig(AppConfig):
    name = "chorus.today"
    label = "today"
