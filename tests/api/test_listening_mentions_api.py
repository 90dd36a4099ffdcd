"""Mentions through the API: the filtered stream with a cursor, one mention, the figures;
bounded inputs (422 with field errors), and tenancy (charlie's token never reaches A's)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from chorus.accounts.models import User
from chorus.api.models import ApiToken
from chorus.workspaces.models import Workspace
from tests.listening.mention_factories import make_author, make_mention, make_query

pytestmark = pytest.mark.django_db
MENTIONS = "/api/v1/listening/mentions"
FIGURES = "/api/v1/listening/figures"


def _api(user: User, workspace: Workspace) -> Client:
    _token, raw = ApiToken.issue(user, workspace, "tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def bob_api(bob: User, workspace_a: Workspace) -> Client:
    return _api(bob, workspace_a)


@pytest.fixture
def charlie_api(charlie: User, workspace_c: Workspace) -> Client:
    return _api(charlie, workspace_c)


@pytest.fixture
def heard(workspace_a: Workspace) -> dict[str, object]:
    brand = make_query(workspace_a, "Lumière", "brand")
    rival = make_query(workspace_a, "Brûlerie", "competitor")
    fan = make_author(workspace_a, "lou@piaille.fr", followers=900)
    now = timezone.now()
    made = [
        make_mention(workspace_a, f"mention {n}", now - timedelta(hours=n + 1), queries=(brand,),
                     sentiment="positive" if n % 3 else "negative", author=fan, language="fr")
        for n in range(5)
    ]  # fmt: skip
    made.append(make_mention(workspace_a, "rival", now - timedelta(hours=7), queries=(rival,)))
    return {"brand": brand, "mentions": made}


def test_list_pages_with_a_cursor_and_filters(bob_api: Client, heard: dict) -> None:
    first = bob_api.get(MENTIONS, {"limit": 2}).json()
    assert [m["text"] for m in first["items"]] == ["mention 0", "mention 1"]
    assert first["items"][0]["queries"] == ["Lumière"]
    assert first["items"][0]["reach"] == 900
    second = bob_api.get(MENTIONS, {"limit": 2, "after": first["next"]}).json()
    assert [m["text"] for m in second["items"]] == ["mention 2", "mention 3"]
    negative = bob_api.get(MENTIONS, {"sentiment": "negative"}).json()["items"]
    assert {m["text"] for m in negative} == {"mention 0", "mention 3"}
    by_query = bob_api.get(MENTIONS, {"query": heard["brand"].pk}).json()["items"]
    assert len(by_query) == 5


def test_one_mention_and_a_guessed_id(bob_api: Client, charlie_api: Client, heard: dict) -> None:
    mention = heard["mentions"][0]
    body = bob_api.get(f"{MENTIONS}/{mention.pk}").json()
    assert body["text"] == "mention 0" and body["author_handle"] == "lou@piaille.fr"
    assert charlie_api.get(f"{MENTIONS}/{mention.pk}").status_code == 404
    assert charlie_api.get(MENTIONS).json()["items"] == []


def test_figures_with_their_formulas(bob_api: Client, charlie_api: Client, heard: dict) -> None:
    body = bob_api.get(FIGURES).json()
    net = body["net_sentiment"]
    assert (net["positive"], net["negative"]) == (3, 2)
    assert net["value"] == pytest.approx(1 / 5)
    assert "positive - negative" in net["formula"]
    shares = {v["name"]: v["share"] for v in body["share_of_voice"]}
    assert shares == {"Lumière": pytest.approx(5 / 6), "Brûlerie": pytest.approx(1 / 6)}
    assert sum(point["count"] for point in body["volume"]) == 6
    assert body["top_authors"][0]["handle"] == "lou@piaille.fr"
    assert {t["term"] for t in body["top_terms"]} >= {"mention"}
    theirs = charlie_api.get(FIGURES).json()
    assert theirs["net_sentiment"]["value"] is None and theirs["share_of_voice"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"query": 0},
        {"query": 2**63},
        {"sentiment": "furious"},
        {"language": "<script>"},
        {"since": "yesterday"},
        {"q": "x" * 201},
        {"after": "not-a-cursor"},
        {"sentimnet": "negative"},
    ],
)
def test_bounded_inputs_answer_422(bob_api: Client, heard: dict, params: dict) -> None:
    response = bob_api.get(MENTIONS, params)
    assert response.status_code == 422
    assert response.json()["errors"]


def test_another_workspaces_query_is_refused(charlie_api: Client, heard: dict) -> None:
    response = charlie_api.get(MENTIONS, {"query": heard["brand"].pk})
    assert response.status_code == 422
    assert "Unknown query" in str(response.json()["errors"])


def test_no_token_no_mentions(client: Client, heard: dict) -> None:
    assert client.get(MENTIONS).status_code == 401
    assert client.get(FIGURES).status_code == 401
