"""The mentions page, its live updates, its export, and the actions on one mention."""

from django.urls import path

from chorus.listening.views import mention_actions, mentions

urlpatterns = [
    path("", mentions.mentions, name="mentions"),
    path("live/", mentions.mentions_live, name="mentions_live"),
    path("export.csv", mentions.mentions_export, name="mentions_export"),
    path("<int:pk>/assign/", mention_actions.assign, name="mention_assign"),
    path("<int:pk>/label/", mention_actions.label, name="mention_label"),
    path(
        "<int:pk>/labels/<int:label_id>/remove/",
        mention_actions.unlabel,
        name="mention_unlabel",
    ),
    path("<int:pk>/answer/", mention_actions.answer, name="mention_answer"),
]
