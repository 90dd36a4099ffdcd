from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from chorus.api.models import ApiToken, hash_token
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.models import Membership


class TokenAuth(HttpBearer):
    """Bearer token → (user, workspace, membership). A removed member's tokens stop working."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = (
            ApiToken.objects.select_related("user", "workspace")
            .filter(token_hash=hash_token(token), user__is_active=True)
            .first()
        )
        if api_token is None:
            return None
        membership = Membership.objects.filter(
            user=api_token.user, workspace=api_token.workspace
        ).first()
        if membership is None:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        # The token stands for its person in its workspace: the handlers get a WorkspaceRequest.
        signed_in = cast(WorkspaceRequest, request)
        signed_in.user = api_token.user
        signed_in.membership = membership
        signed_in.workspace = api_token.workspace
        return api_token
