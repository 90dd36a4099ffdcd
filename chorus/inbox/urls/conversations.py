"""The inbox under /inbox/: list, conversations and what is done on them, saved replies,
settings and the CSV export. Names are in the ``inbox`` namespace (``inbox:list``…)."""

from django.urls import URLPattern, URLResolver, path

from chorus.inbox.views import actions, conversation, listing, saved

urlpatterns: list[URLPattern | URLResolver] = [
    path("", listing.inbox_list, name="list"),
    path("live/", listing.inbox_live, name="live"),
    path("counters/", listing.counters, name="counters"),
    path("bulk/", listing.bulk, name="bulk"),
    path("check-now/", listing.check_now, name="check_now"),
    path("export.csv", listing.export_csv, name="export"),
    path("saved-replies/", saved.saved_replies, name="saved_replies"),
    path("saved-replies/<int:saved_id>/", saved.edit_saved_reply, name="saved_reply_edit"),
    path(
        "saved-replies/<int:saved_id>/delete/",
        saved.delete_saved_reply,
        name="saved_reply_delete",
    ),
    path("settings/", saved.inbox_settings, name="settings"),
    path("<int:pk>/", conversation.conversation_page, name="conversation"),
    path(
        "<int:pk>/saved/<int:saved_id>/",
        conversation.saved_reply_text,
        name="saved_reply_text",
    ),
    path("<int:pk>/reply/", actions.reply, name="reply"),
    path("<int:pk>/status/", actions.set_status, name="status"),
    path("<int:pk>/priority/", actions.set_priority, name="priority"),
    path("<int:pk>/assign/", actions.assign, name="assign"),
    path("<int:pk>/labels/", actions.add_label, name="add_label"),
    path("<int:pk>/labels/<int:label_id>/remove/", actions.remove_label, name="remove_label"),
    path("<int:pk>/notes/", actions.add_note, name="add_note"),
    path("<int:pk>/link-author/", actions.link_author, name="link_author"),
    path("<int:pk>/messages/<int:message_id>/correct/", actions.correct, name="correct"),
    path("<int:pk>/messages/<int:message_id>/moderate/", actions.moderate, name="moderate"),
    path("<int:pk>/messages/<int:message_id>/approve/", actions.approve_reply, name="approve"),
    path("<int:pk>/rule-actions/<int:action_id>/undo/", actions.undo_rule_action, name="undo"),
]
