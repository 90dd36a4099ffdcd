"""`chorus demo`: a workspace a newcomer can look around in. It never touches a real network."""

from __future__ import annotations

import secrets

from django.db import transaction

from chorus.accounts.models import User
from chorus.workspaces.models import Invitation, Membership, Role, Workspace

DEMO_SLUG = "demo-cafe-lumiere"
DEMO_EMAIL = "demo@chorus.invalid"
TEAM = [
    ("lea.martin@chorus.invalid", "Léa Martin", Role.EDITOR),
    ("sam.okafor@chorus.invalid", "Sam Okafor", Role.CONTRIBUTOR),
    ("agence.client@chorus.invalid", "Claire Dubois (client)", Role.CLIENT),
]


def _person(email: str, name: str, password: str | None = None) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, full_name=name)
        if password is None:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    return user


@transaction.atomic
def create_demo(password: str | None = None, *, reset: bool = False) -> tuple[Workspace, str]:
    """Create (or reset) the demo workspace; returns it and the demo sign-in password."""
    if reset:
        Workspace.objects.filter(slug=DEMO_SLUG).delete()
    password = password or secrets.token_urlsafe(9)
    owner = _person(DEMO_EMAIL, "Demo", password)
    owner.set_password(password)
    owner.save(update_fields=["password"])
    workspace, created = Workspace.objects.get_or_create(
        slug=DEMO_SLUG,
        defaults={"name": "Café Lumière (démo)", "timezone": "Europe/Paris", "is_demo": True},
    )
    if created:
        Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
        for email, name, role in TEAM:
            Membership.objects.create(workspace=workspace, user=_person(email, name), role=role)
        Invitation.objects.create(
            workspace=workspace,
            email="stagiaire@chorus.invalid",
            role=Role.CONTRIBUTOR,
            invited_by=owner,
        )
    return workspace, password
