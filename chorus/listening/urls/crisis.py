"""Crisis mode: the crisis list and room, the holding statement, the playbook, and the page an
outside approver opens from their e-mail."""

from django.urls import path

from chorus.listening.views import crisis, crisis_statement, playbook

urlpatterns = [
    path("crisis/", crisis.crisis_list, name="crisis_list"),
    path("crisis/open/", crisis.crisis_open, name="crisis_open"),
    path("crisis/<int:pk>/", crisis.crisis_room, name="crisis"),
    path("crisis/<int:pk>/timeline/", crisis.crisis_event, name="crisis_event"),
    path("crisis/<int:pk>/tasks/<int:task_pk>/", crisis.crisis_task, name="crisis_task"),
    path("crisis/<int:pk>/pin/", crisis.crisis_pin, name="crisis_pin"),
    path("crisis/<int:pk>/close/", crisis.crisis_close, name="crisis_close"),
    path("crisis/<int:pk>/summary/", crisis.crisis_report, name="crisis_report"),
    path("crisis/<int:pk>/summary.csv", crisis.crisis_csv, name="crisis_csv"),
    path("crisis/save-mention/<int:mention_pk>/", crisis.save_mention, name="crisis_save_mention"),
    path("crisis/<int:pk>/statement/", crisis_statement.statement_write, name="statement_write"),
    path("crisis/<int:pk>/approvers/", crisis_statement.approver_add, name="approver_add"),
    path(
        "crisis/<int:pk>/approvers/<int:approval_pk>/remove/",
        crisis_statement.approver_remove,
        name="approver_remove",
    ),
    path("crisis/<int:pk>/submit/", crisis_statement.statement_submit, name="statement_submit"),
    path("crisis/<int:pk>/decide/", crisis_statement.statement_decide, name="statement_decide"),
    path("crisis/<int:pk>/publish/", crisis_statement.statement_publish, name="statement_publish"),
    path("statement/<str:token>/", crisis_statement.statement_review, name="statement_review"),
    path("playbook/", playbook.playbook, name="playbook"),
    path("playbook/steps/<int:step_pk>/", playbook.step_change, name="playbook_step"),
    path(
        "playbook/contacts/<int:contact_pk>/delete/",
        playbook.contact_delete,
        name="playbook_contact_delete",
    ),
]
