from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "chorus.analytics"
    label = "analytics"
