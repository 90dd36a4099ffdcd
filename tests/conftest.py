"""Shared fixtures: alice (owner of A), bob (member of A), charlie (outsider, owner of C)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.test import Client

from bench.standin_mastodon import StandIn, StandInServer
from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.workspaces.models import Membership, Role, Workspace
from tests.servers.pds import PDSUnavailable, RunningPDS
from tests.servers.pds import ensure_installed as pds_installed
from tests.servers.synapse import RunningSynapse, SynapseUnavailable, ensure_installed

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _closed_network(settings):  # type: ignore[no-untyped-def]
    """Outgoing HTTP may only reach loopback (pytest-socket blocks sockets too)."""
    settings.CHORUS_BLOCK_EXTERNAL_HTTP = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # One PBKDF2 hash costs ~0.7 s here; the suite creates thousands of users. Tests about
    # hashing itself would set their own hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``@pytest.mark.database("postgresql")``: the test is about that database's own machinery
    and is skipped, by name, on the other one. The only skip CI accepts."""
    from django.db import connection

    for item in items:
        marker = item.get_closest_marker("database")
        if marker and connection.vendor not in marker.args:
            item.add_marker(pytest.mark.skip(reason=f"runs on {', '.join(marker.args)} only"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):  # type: ignore[no-untyped-def]
    """In CI a test that skips itself (a missing server, module or browser) is a failure: a
    green run must mean everything ran."""
    outcome = yield
    report = outcome.get_result()
    expected_failure = hasattr(report, "wasxfail")  # a known weakness, written down: it ran
    if (
        report.skipped
        and not expected_failure
        and _in_ci()
        and item.get_closest_marker("database") is None
    ):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every test must run: {reason}"


@pytest.fixture(autouse=True, scope="session")
def _huey_runs_tasks_inline() -> Iterator[None]:
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield


@pytest.fixture(autouse=True)
def _each_test_starts_in_english() -> Iterator[None]:
    """A request in French leaves French active in the thread (LocaleMiddleware activates, nothing
    deactivates); without this a test's words would depend on which test ran before it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _each_test_starts_with_nothing_kept() -> Iterator[None]:
    """What a web process keeps (pages, sessions, people, memberships: chorus/core/writes.py)
    belongs to the database of the test that made it; a setting changed under a test changes
    pages too."""
    from django.db import connections
    from django.test.signals import setting_changed

    from chorus.core.writes import forget_everything_kept

    def forget(**_kwargs: object) -> None:
        forget_everything_kept()

    forget_everything_kept()
    # A write the previous test made, rolled back with its transaction, has nothing to announce.
    for connection in connections.all(initialized_only=True):
        connection.chorus_unannounced_write = False
    setting_changed.connect(forget, dispatch_uid="chorus-tests-forget-kept")
    yield
    setting_changed.disconnect(dispatch_uid="chorus-tests-forget-kept")
    forget_everything_kept()


@pytest.fixture
def in_ci() -> bool:
    return _in_ci()


def _user(email: str, name: str) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, full_name=name)


@pytest.fixture
def alice(db) -> User:  # type: ignore[no-untyped-def]
    return _user("alice@example.org", "Alice Martin")


@pytest.fixture
def bob(db) -> User:  # type: ignore[no-untyped-def]
    return _user("bob@example.org", "Bob Durand")


@pytest.fixture
def charlie(db) -> User:  # type: ignore[no-untyped-def]
    return _user("charlie@example.org", "Charlie Outsider")


@pytest.fixture
def workspace_a(alice: User, bob: User) -> Workspace:
    workspace = Workspace.objects.create(name="Brand A", slug="brand-a", timezone="Europe/Paris")
    Membership.objects.create(workspace=workspace, user=alice, role=Role.OWNER)
    Membership.objects.create(workspace=workspace, user=bob, role=Role.EDITOR)
    return workspace


@pytest.fixture
def workspace_c(charlie: User) -> Workspace:
    workspace = Workspace.objects.create(name="Charlie Co", slug="charlie-co", timezone="UTC")
    Membership.objects.create(workspace=workspace, user=charlie, role=Role.OWNER)
    return workspace


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice: User, workspace_a: Workspace) -> Client:
    return signed_in(alice)


@pytest.fixture
def bob_client(bob: User, workspace_a: Workspace) -> Client:
    return signed_in(bob)


@pytest.fixture
def charlie_client(charlie: User, workspace_c: Workspace) -> Client:
    return signed_in(charlie)


@pytest.fixture(scope="session")
def synapse() -> Iterator[RunningSynapse]:
    """One real Synapse for the whole run (starting one costs seconds); rooms are made per test.
    In CI a missing Synapse is a failure, never a skip."""
    try:
        server = RunningSynapse(venv=ensure_installed())
        server.__enter__()
    except (SynapseUnavailable, OSError) as exc:
        if _in_ci():
            pytest.fail(f"Synapse is required in CI: {exc}")
        pytest.skip(f"Synapse could not be installed or started here: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pds() -> Iterator[RunningPDS]:
    """One real Bluesky PDS (with its PLC directory) for the whole run; accounts are made per
    test. In CI a missing PDS is a failure, never a skip."""
    try:
        server = RunningPDS(pds_installed()).start()
    except PDSUnavailable as exc:
        if _in_ci():
            pytest.fail(f"the Bluesky PDS is required in CI: {exc}")
        pytest.skip(f"no local Bluesky PDS (run `python -m tests.servers.pds --install`): {exc}")
    try:
        yield server
    finally:
        server.stop()


# -- a stand-in Mastodon on loopback (bench/standin_mastodon.py), for publishing and replies --


@pytest.fixture
def standin() -> Iterator[StandInServer]:
    with StandIn() as server:
        yield server


@pytest.fixture
def channel_a(workspace_a: Workspace, standin: StandInServer) -> Channel:
    """Workspace A's Mastodon channel on the stand-in, connected through the real connector."""
    from chorus.channels import services as channels

    return channels.connect(
        workspace_a, "mastodon", {"access_token": "tok-1"}, {"base_url": standin.root}
    )
