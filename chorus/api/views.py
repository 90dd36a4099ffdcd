"""The page where a person creates and revokes their API tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chorus.api.models import ApiToken
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("What is this token for?"), max_length=80)


@workspace_view()
def tokens(request: WorkspaceRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        workspace = request.workspace
        _token, new_token = ApiToken.issue(request.user, workspace, form.cleaned_data["name"])
        form = TokenForm()
    mine = ApiToken.objects.filter(
        user_id=request.user.pk,
        workspace=request.workspace,
    ).order_by("-created_at")
    context = {"form": form, "tokens": mine, "new_token": new_token}
    return render(request, "api/tokens.html", context, status=400 if form.errors else 200)


@workspace_view()
@require_POST
def revoke(request: WorkspaceRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(
        ApiToken,
        pk=token_id,
        user=request.user,
        workspace=request.workspace,
    )
    token.delete()
    messages.success(request, _("Token revoked. Programs using it can no longer connect."))
    return redirect("api_tokens")
