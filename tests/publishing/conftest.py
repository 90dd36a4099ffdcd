"""A stand-in Mastodon server on loopback and channels of workspace A and C connected to it."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from bench.standin_mastodon import StandInServer
from chorus.accounts.models import User
from chorus.channels import services as channels
from chorus.channels.models import Channel
from chorus.publishing import services
from chorus.publishing.models import PostTarget
from chorus.workspaces.models import Membership, Role, Workspace


@pytest.fixture
def contributor_bob(bob: User, workspace_a: Workspace) -> User:
    """Bob as a contributor: every change he makes waits for someone allowed to approve."""
    Membership.objects.filter(user=bob, workspace=workspace_a).update(role=Role.CONTRIBUTOR)
    return bob


@pytest.fixture
def channel_c(workspace_c: Workspace, standin: StandInServer) -> Channel:
    return channels.connect(
        workspace_c, "mastodon", {"access_token": "tok-3"}, {"base_url": standin.root}
    )


def scheduled(
    author: User, channel: Channel, text: str, when: datetime | None = None
) -> PostTarget:
    """One post with one variant on ``channel``, scheduled at ``when`` (now by default)."""
    post = services.create_post(channel.workspace, author, text, [channel])
    (target,) = services.schedule_post(post, when or timezone.now())
    return target
