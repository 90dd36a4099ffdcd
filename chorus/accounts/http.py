"""The request of a signed-in person, typed, so views need no cast to reach their ``User``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from chorus.accounts.models import User


class SignedInRequest(HttpRequest):
    """What ``login_required`` guarantees: ``request.user`` is a real ``User``, never anonymous.

    Only an annotation: Django builds a plain ``HttpRequest``; this class is never instantiated.
    """

    user: User
