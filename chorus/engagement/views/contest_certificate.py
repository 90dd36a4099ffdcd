"""The public certificate of a contest's draw: no sign-in, at the contest's unguessable public
id. It shows what the rules announce (entry ids, never names or texts) and nothing else."""

from __future__ import annotations

import json
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from chorus.engagement import contests as service
from chorus.engagement import draw
from chorus.engagement.models import Contest, ContestStatus


def _public(public_id: UUID) -> Contest:
    contest = get_object_or_404(Contest, public_id=public_id)
    if contest.status == ContestStatus.DRAFT:
        raise Http404  # nothing is committed yet: nothing is public
    return contest


def certificate_page(request: HttpRequest, public_id: UUID) -> HttpResponse:
    contest = _public(public_id)
    certificate = service.certificate_of(contest)
    return render(request, "engagement/contest_certificate.html", {
        "contest": contest,
        "certificate": certificate,
        "winners": service.winners_of(contest),
        "alternates": service.alternates_of(contest),
        "substitutions": contest.substitutions.all(),
        "spec_json": draw.canonical_json(contest.spec).decode(),
    })  # fmt: skip


def certificate_json(request: HttpRequest, public_id: UUID) -> HttpResponse:
    contest = _public(public_id)
    certificate = service.certificate_of(contest)
    if certificate is None:
        raise Http404  # before the draw there is no certificate, only the commitment
    response = HttpResponse(
        json.dumps(certificate, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="draw-{contest.public_id}.json"'
    return response
