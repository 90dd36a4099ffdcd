"""Planning pages: calendar and ICS, queue slots, approvals, pause and held posts, CSV import."""

from django.urls import URLPattern, URLResolver, path

from chorus.publishing.views import calendar, importing, planning, queue

urlpatterns: list[URLPattern | URLResolver] = [
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar.ics", calendar.calendar_ics, name="calendar_ics"),
    path("calendar/feed/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("calendar/move/<int:target_id>/", calendar.move, name="calendar_move"),
    path("targets/<int:target_id>/reschedule/", calendar.reschedule, name="reschedule"),
    path("queue/", queue.queue_index, name="queue_index"),
    path("queue/<int:channel_id>/", queue.queue_page, name="queue"),
    path("queue/<int:channel_id>/slots/", queue.add_slots, name="queue_slots_add"),
    path("queue/<int:channel_id>/preset/", queue.add_preset, name="queue_preset"),
    path("queue/<int:channel_id>/clear/", queue.clear_slots, name="queue_clear"),
    path(
        "queue/<int:channel_id>/slots/<int:slot_id>/remove/",
        queue.remove_slot,
        name="queue_slot_remove",
    ),
    path("approvals/", planning.approvals, name="approvals"),
    path("approvals/<int:post_id>/approve/", planning.approve, name="approve"),
    path(
        "approvals/<int:post_id>/request-changes/",
        planning.request_changes,
        name="request_changes",
    ),
    path("pause/", planning.pause, name="pause"),
    path("resume/", planning.resume, name="resume"),
    path("held/", planning.held, name="held"),
    path("held/all/", planning.held_bulk, name="held_bulk"),
    path("held/<int:target_id>/", planning.held_action, name="held_action"),
    path("import/", importing.import_page, name="import"),
    path("import/problems.csv", importing.import_errors, name="import_errors"),
    path("import/template.csv", importing.import_template, name="import_template"),
]
