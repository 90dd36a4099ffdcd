"""Planning pages: calendar and ICS, queue slots, approvals, pause and held posts, CSV import."""

from django.urls import URLPattern, URLResolver, path

from chorus.publishing import views_calendar, views_import, views_planning, views_queue

urlpatterns: list[URLPattern | URLResolver] = [
    path("calendar/", views_calendar.calendar_page, name="calendar"),
    path("calendar.ics", views_calendar.calendar_ics, name="calendar_ics"),
    path("calendar/feed/<str:token>.ics", views_calendar.calendar_feed, name="calendar_feed"),
    path("calendar/move/<int:target_id>/", views_calendar.move, name="calendar_move"),
    path("targets/<int:target_id>/reschedule/", views_calendar.reschedule, name="reschedule"),
    path("queue/", views_queue.queue_index, name="queue_index"),
    path("queue/<int:channel_id>/", views_queue.queue_page, name="queue"),
    path("queue/<int:channel_id>/slots/", views_queue.add_slots, name="queue_slots_add"),
    path("queue/<int:channel_id>/preset/", views_queue.add_preset, name="queue_preset"),
    path("queue/<int:channel_id>/clear/", views_queue.clear_slots, name="queue_clear"),
    path(
        "queue/<int:channel_id>/slots/<int:slot_id>/remove/",
        views_queue.remove_slot,
        name="queue_slot_remove",
    ),
    path("approvals/", views_planning.approvals, name="approvals"),
    path("approvals/<int:post_id>/approve/", views_planning.approve, name="approve"),
    path(
        "approvals/<int:post_id>/request-changes/",
        views_planning.request_changes,
        name="request_changes",
    ),
    path("pause/", views_planning.pause, name="pause"),
    path("resume/", views_planning.resume, name="resume"),
    path("held/", views_planning.held, name="held"),
    path("held/all/", views_planning.held_bulk, name="held_bulk"),
    path("held/<int:target_id>/", views_planning.held_action, name="held_action"),
    path("import/", views_import.import_page, name="import"),
    path("import/problems.csv", views_import.import_errors, name="import_errors"),
    path("import/template.csv", views_import.import_template, name="import_template"),
]
