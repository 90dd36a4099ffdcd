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
