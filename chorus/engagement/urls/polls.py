"""Engagement: the polls and open questions pages."""

from django.urls import URLPattern, URLResolver, path

from chorus.engagement.views import polls, questions

urlpatterns: list[URLPattern | URLResolver] = [
    path("", polls.poll_list, name="polls"),
    path("new/", polls.poll_new, name="poll_new"),
    path("<int:poll_id>/", polls.poll_page, name="poll"),
    path("<int:poll_id>/read/", polls.poll_read, name="poll_read"),
    path("<int:poll_id>/close/", polls.poll_close, name="poll_close"),
    path("questions/", questions.question_list, name="questions"),
    path("questions/mark/", questions.question_mark, name="question_mark"),
    path("questions/<int:question_id>/", questions.question_board, name="question"),
    path(
        "questions/<int:question_id>/answers/<int:message_id>/star/",
        questions.question_star,
        name="question_star",
    ),
    path("questions/<int:question_id>/quote/", questions.question_quote, name="question_quote"),
]
