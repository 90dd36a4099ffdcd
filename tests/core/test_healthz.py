import pytest
from django.test import Client

from chorus.core.heartbeats import beat

pytestmark = pytest.mark.django_db


def test_health_is_503_while_no_worker_has_reported() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["worker"] == "down"


def test_health_is_ok_once_a_worker_beats() -> None:
    beat()
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {**response.json(), "status": "ok", "worker": "ok"}


def test_a_stale_worker_is_reported_down(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHORUS_WORKER_STALE_SECONDS = -1
    beat()
    assert Client().get("/healthz").status_code == 503
