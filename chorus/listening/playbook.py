"""The workspace's crisis playbook: its checklist steps, its contacts, what not to say."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from chorus.listening.models import Playbook, PlaybookContact, PlaybookStep
from chorus.workspaces.models import Workspace


def playbook_of(workspace: Workspace) -> Playbook:
    playbook, _created = Playbook.objects.get_or_create(workspace=workspace)
    return playbook


def add_step(workspace: Workspace, text: str) -> PlaybookStep:
    playbook = playbook_of(workspace)
    last = playbook.steps.aggregate(last=Max("position"))["last"]
    return PlaybookStep.objects.create(
        workspace=workspace, playbook=playbook, text=text.strip(), position=(last or 0) + 1
    )


@transaction.atomic
def move_step(step: PlaybookStep, offset: int) -> None:
    """Swap a step with its neighbour above (-1) or below (+1)."""
    steps = list(step.playbook.steps.all())
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    other = index + offset
    if not 0 <= other < len(steps):
        return
    steps[index], steps[other] = steps[other], steps[index]
    for position, each in enumerate(steps, start=1):
        PlaybookStep.objects.filter(pk=each.pk).update(position=position)


def add_contact(workspace: Workspace, **fields: str) -> PlaybookContact:
    return PlaybookContact.objects.create(
        workspace=workspace, playbook=playbook_of(workspace), **fields
    )


def set_what_not_to_say(workspace: Workspace, text: str) -> None:
    playbook = playbook_of(workspace)
    playbook.what_not_to_say = text.strip()
    playbook.save(update_fields=["what_not_to_say", "updated_at"])
