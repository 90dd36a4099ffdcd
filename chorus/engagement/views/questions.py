"""Open questions: the list (and marking a post as one), a question's board, stars, quoting."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.engagement import questions
from chorus.engagement.forms_polls import QuestionForm
from chorus.engagement.models.polls import Question
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission, can


def _question(request: WorkspaceRequest, question_id: int) -> Question:
    return get_object_or_404(
        Question.objects.select_related("post"), pk=question_id, workspace=request.workspace
    )


@workspace_view()
def question_list(request: WorkspaceRequest) -> HttpResponse:
    can_run = can(request.membership, Permission.RUN_CONTESTS)
    context = {
        "questions": Question.objects.filter(workspace=request.workspace).select_related("post"),
        "form": QuestionForm(workspace=request.workspace) if can_run else None,
        "can_run": can_run,
    }
    return render(request, "engagement/questions.html", context)


@require_POST
@workspace_view(Permission.RUN_CONTESTS)
def question_mark(request: WorkspaceRequest) -> HttpResponse:
    form = QuestionForm(request.POST, workspace=request.workspace)
    if not form.is_valid():
        messages.error(request, _("Choose one of the workspace's published posts."))
        return redirect("engagement:questions")
    try:
        question = questions.mark_as_question(form.cleaned_data["post"], request.user)
    except questions.QuestionRefused as refused:
        messages.error(request, str(refused))
        return redirect("engagement:questions")
    return redirect("engagement:question", question.pk)


@workspace_view()
def question_board(request: WorkspaceRequest, question_id: int) -> HttpResponse:
    question = _question(request, question_id)
    answers = list(questions.answers_to(question))
    context = {
        "question": question,
        "groups": questions.grouped(answers),
        "count": len(answers),
        "starred": questions.starred_ids(question),
        "can_run": can(request.membership, Permission.RUN_CONTESTS),
    }
    return render(request, "engagement/question.html", context)


@require_POST
@workspace_view(Permission.RUN_CONTESTS)
def question_star(request: WorkspaceRequest, question_id: int, message_id: int) -> HttpResponse:
    question = _question(request, question_id)
    try:
        if request.POST.get("star") == "0":
            questions.unstar(question, message_id, request.user)
        else:
            questions.star(question, message_id, request.user)
    except questions.QuestionRefused as refused:
        messages.error(request, str(refused))
    return redirect("engagement:question", question.pk)


@require_POST
@workspace_view(Permission.RUN_CONTESTS)
def question_quote(request: WorkspaceRequest, question_id: int) -> HttpResponse:
    question = _question(request, question_id)
    try:
        post = questions.draft_quote_post(question, request.user)
    except questions.QuestionRefused as refused:
        messages.error(request, str(refused))
        return redirect("engagement:question", question.pk)
    messages.success(request, _("Draft written with the starred answers: edit it and publish."))
    return redirect("publishing:post_edit", post.pk)
