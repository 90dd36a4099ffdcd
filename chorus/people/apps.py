from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "chorus.people"
    label = "people"
