"""Moderation rules under /inbox/rules/: the rules, their log, labels and author lists.

Names are in the ``inbox`` namespace and start with ``rules``: ``inbox:rules``,
``inbox:rules_log``…
"""

from django.urls import URLPattern, URLResolver, path

import chorus.inbox.views.rules as views
import chorus.inbox.views.rules_lists as lists

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.rule_list, name="rules"),
    path("new/", views.rule_create, name="rules_create"),
    path("dry-run/", views.rule_dry_run, name="rules_dry_run"),
    path("row/<str:kind>/", views.rule_row, name="rules_row"),
    path("<int:rule_id>/", views.rule_edit, name="rules_edit"),
    path("<int:rule_id>/delete/", views.rule_delete, name="rules_delete"),
    path("<int:rule_id>/move/", views.rule_move, name="rules_move"),
    path("<int:rule_id>/toggle/", views.rule_toggle, name="rules_toggle"),
    path("log/", views.rules_log, name="rules_log"),
    path("log/<int:action_id>/undo/", views.rules_undo, name="rules_undo"),
    path("labels/", lists.labels, name="rules_labels"),
    path("labels/<int:label_id>/", lists.label_edit, name="rules_label_edit"),
    path("labels/<int:label_id>/delete/", lists.label_delete, name="rules_label_delete"),
    path("lists/", lists.author_lists, name="rules_lists"),
    path("lists/<int:list_id>/", lists.author_list, name="rules_list"),
    path("lists/<int:list_id>/delete/", lists.author_list_delete, name="rules_list_delete"),
    path(
        "lists/<int:list_id>/remove/<int:author_id>/",
        lists.author_list_remove,
        name="rules_list_remove",
    ),
]
