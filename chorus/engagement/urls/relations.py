"""Engagement: the relations pages (directory, pipeline board, people, templates, top voices)."""

from django.urls import URLPattern, URLResolver, path

from chorus.engagement.views import relations, relations_more

urlpatterns: list[URLPattern | URLResolver] = [
    path("", relations.directory, name="relations"),
    path("board/", relations.board, name="relations_board"),
    path("<int:relation_id>/", relations.person, name="relation"),
    path("<int:relation_id>/edit/", relations.edit_profile, name="relation_edit"),
    path("<int:relation_id>/stage/", relations.move, name="relation_move"),
    path("<int:relation_id>/notes/", relations.add_note, name="relation_note"),
    path("<int:relation_id>/follow-ups/", relations.add_follow_up, name="relation_follow_up"),
    path(
        "follow-ups/<int:follow_up_id>/done/",
        relations.finish_follow_up,
        name="relation_follow_up_done",
    ),
    path("<int:relation_id>/accounts/", relations.link_account, name="relation_link"),
    path(
        "<int:relation_id>/accounts/<int:author_id>/unlink/",
        relations.unlink_account,
        name="relation_unlink",
    ),
    path(
        "<int:relation_id>/outreach/<int:template_id>/",
        relations_more.outreach,
        name="relation_outreach",
    ),
    path("templates/", relations_more.templates, name="relation_templates"),
    path("templates/new/", relations_more.template_edit, name="relation_template_new"),
    path(
        "templates/<int:template_id>/", relations_more.template_edit, name="relation_template_edit"
    ),
    path(
        "templates/<int:template_id>/delete/",
        relations_more.template_delete,
        name="relation_template_delete",
    ),
    path("top-voices/", relations_more.top_voices, name="relation_voices"),
    path("top-voices/<int:author_id>/add/", relations_more.voice_add, name="relation_voice_add"),
    path(
        "top-voices/<int:author_id>/dismiss/",
        relations_more.voice_dismiss,
        name="relation_voice_dismiss",
    ),
    path("import/", relations_more.import_people, name="relation_import"),
    path("export.csv", relations_more.export_people, name="relation_export"),
]
