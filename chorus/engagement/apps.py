from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "chorus.engagement"
    label = "engagement"
