import subprocess
import sys

import pytest

from chorus.cli import build_parser
from chorus.today.demo import DEMO_EMAIL, create_demo


@pytest.mark.parametrize(
    "command", ["serve", "web", "worker", "migrate", "createuser", "demo", "check", "classify"]
)
def test_every_command_has_help(command: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "chorus.cli", command, "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "usage: chorus " + command in result.stdout


def test_worker_can_skip_periodic_tasks() -> None:
    args = build_parser().parse_args(["worker", "--no-periodic"])
    assert args.periodic is False


@pytest.mark.django_db
def test_demo_is_marked_and_repeatable(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo draws its images
    from chorus.accounts.models import User

    workspace, password = create_demo("demo pass phrase 1")
    again, _ = create_demo("demo pass phrase 1")
    assert workspace.pk == again.pk and workspace.is_demo
    assert User.objects.get(email=DEMO_EMAIL).check_password(password)
    assert workspace.memberships.count() == 4


def test_web_processes_keep_connections_alive_whatever_the_threads() -> None:
    from chorus.cli import _web_command

    args = build_parser().parse_args(["serve", "--threads", "1"])
    command = _web_command(args.bind, args.workers, args.threads)
    assert command[command.index("--threads") + 1] == "1"
    # gunicorn's sync worker (its choice for one thread) closes every connection after a page.
    assert command[command.index("--worker-class") + 1] == "gthread"
    assert build_parser().parse_args(["web"]).threads == 4


def test_web_processes_come_from_the_environment_unless_given(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert build_parser().parse_args(["serve"]).workers == 2
    monkeypatch.setenv("CHORUS_WEB_WORKERS", "3")
    assert build_parser().parse_args(["serve"]).workers == 3
    assert build_parser().parse_args(["web", "--workers", "5"]).workers == 5
