from django.urls import path

from chorus.channels import views

app_name = "channels"

urlpatterns = [
    path("", views.channel_list, name="list"),
    path("<int:channel_id>/", views.channel_health, name="health"),
    path("<int:channel_id>/disconnect/", views.disconnect, name="disconnect"),
]
