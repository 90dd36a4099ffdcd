from django.urls import path

from chorus.workspaces import views, views_invitations

app_name = "workspaces"

urlpatterns = [
    path("new/", views.create, name="create"),
    path("switch/<slug:slug>/", views.switch, name="switch"),
    path("settings/", views.settings_page, name="settings"),
    path("members/", views.members, name="members"),
    path("members/<int:member_id>/role/", views.change_role, name="change_role"),
    path("members/<int:member_id>/remove/", views.remove_member, name="remove_member"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path(
        "invitation/<str:token>/",
        views_invitations.accept_invitation,
        name="accept_invitation",
    ),
]
