"""The dashboard pages (``analytics:dashboard`` and the tabs beside it)."""

from django.urls import path

from chorus.analytics.views import dashboard

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("channels/", dashboard.channels, name="channels"),
    path("posts/", dashboard.posts, name="posts"),
    path("posts/<int:target_id>/", dashboard.post, name="post"),
    path("community/", dashboard.community, name="community"),
    path("best-times/", dashboard.best_times, name="best_times"),
    path("glossary/", dashboard.glossary, name="glossary"),
]
