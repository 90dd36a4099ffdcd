"""A real Synapse homeserver on loopback, for the Matrix connector's tests.

Synapse lives in a venv of its own, in a cache folder outside the repository, so the project's venv
never carries a homeserver and its ~240 MB of dependencies. ``python -m tests.servers.synapse
--install`` prepares it once per machine (``make test`` calls it); :class:`RunningSynapse` starts a
throw-away homeserver with its own config, database and media store in a temporary folder.

Notes: ``../shared/notes/real-servers.md``.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

SYNAPSE_VERSION = "1.163.2"
USERS = ("alice", "bob", "charlie")
PASSWORD = "correct horse battery staple"  # test-only accounts on a throw-away homeserver
START_TIMEOUT = 90.0


class SynapseUnavailable(RuntimeError):
    """Synapse could not be installed or started on this machine."""


def servers_dir() -> Path:
    """Where test servers are installed: shared by every checkout on the machine."""
    configured = os.environ.get("CHORUS_TEST_SERVERS_DIR")
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "chorus-test-servers"


def venv_dir() -> Path:
    return servers_dir() / "synapse"


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def ensure_installed() -> Path:
    """Install the pinned Synapse in its own venv once; later calls only check a marker file."""
    venv = venv_dir()
    marker = venv / f".installed-matrix-synapse-{SYNAPSE_VERSION}"
    if marker.exists() and venv_python(venv).exists():
        return venv
    venv.parent.mkdir(parents=True, exist_ok=True)
    # A lock, because pytest-xdist workers or two checkouts may install at the same moment.
    with open(venv.parent / ".synapse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.exists():
            _install(venv)
            marker.write_text(f"matrix-synapse=={SYNAPSE_VERSION}\n")
    return venv


def _install(venv: Path) -> None:
    if venv.exists():
        shutil.rmtree(venv)  # a half-finished venv from an interrupted install
    base_python = getattr(sys, "_base_executable", sys.executable)
    commands = [
        [base_python, "-m", "venv", str(venv)],
        [
            str(venv_python(venv)),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            f"matrix-synapse=={SYNAPSE_VERSION}",
        ],
    ]
    for command in commands:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            raise SynapseUnavailable(
                f"installing Synapse failed ({' '.join(command[:4])}…): {done.stderr[-2000:]}"
            )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _rate_limit(per_second: float = 1000.0, burst_count: int = 10000) -> dict[str, float]:
    return {"per_second": per_second, "burst_count": burst_count}


def homeserver_config(folder: Path, port: int, shared_secret: str) -> dict[str, Any]:
    """A closed homeserver: loopback only, no federation, no outside look-ups, fast rate limits."""
    fast = _rate_limit()
    return {
        "server_name": "localhost",
        "pid_file": str(folder / "homeserver.pid"),
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(folder / "homeserver.db")}},
        "media_store_path": str(folder / "media_store"),
        "signing_key_path": str(folder / "localhost.signing.key"),
        "registration_shared_secret": shared_secret,
        "macaroon_secret_key": secrets.token_hex(16),
        "form_secret": secrets.token_hex(16),
        "report_stats": False,
        "enable_registration": False,
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "federation_domain_whitelist": [],
        "url_preview_enabled": False,
        "presence": {"enabled": False},
        "rc_message": fast,
        "rc_registration": fast,
        "rc_login": {"address": fast, "account": fast, "failed_attempts": fast},
        "rc_joins": {"local": fast, "remote": fast},
        "rc_joins_per_room": fast,
        "rc_admin_redaction": fast,
        "rc_invites": {"per_room": fast, "per_user": fast, "per_issuer": fast},
        "rc_room_creation": fast,
        "rc_media_create": fast,
    }


@dataclass
class MatrixUser:
    name: str
    user_id: str
    access_token: str
    device_id: str
    password: str = PASSWORD

    def credentials(self) -> dict[str, str]:
        return {
            "access_token": self.access_token,
            "user_id": self.user_id,
            "device_id": self.device_id,
        }


@dataclass
class RunningSynapse:
    """A homeserver started for the duration of a ``with`` block, with alice, bob and charlie."""

    venv: Path = field(default_factory=ensure_installed)
    port: int = field(default_factory=free_port)
    users: dict[str, MatrixUser] = field(default_factory=dict)
    started_in: float = 0.0  # seconds, for the curious; tests never assert on it
    _folder: Path | None = None
    _process: subprocess.Popen[bytes] | None = None
    _shared_secret: str = field(default_factory=lambda: secrets.token_hex(16))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> RunningSynapse:
        self._folder = Path(tempfile.mkdtemp(prefix="chorus-synapse-"))
        try:
            self._start()
            for name in USERS:
                self.users[name] = self.register(name, admin=(name == "alice"))
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _config_path(self) -> Path:
        assert self._folder is not None
        return self._folder / "homeserver.yaml"

    def _write_config(self) -> None:
        assert self._folder is not None
        config = homeserver_config(self._folder, self.port, self._shared_secret)
        # JSON is valid YAML: no YAML writer needed.
        self._config_path().write_text(json.dumps(config, indent=2))
        self._synapse("--generate-keys")  # the signing key; exits at once

    def _synapse(self, *extra: str) -> None:
        command = [str(venv_python(self.venv)), "-m", "synapse.app.homeserver"]
        command += ["-c", str(self._config_path()), *extra]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SynapseUnavailable(f"synapse {' '.join(extra)} failed: {done.stderr[-2000:]}")

    def _start(self) -> None:
        assert self._folder is not None
        began = time.monotonic()
        self._write_config()
        log = open(self._folder / "homeserver.out", "wb")  # noqa: SIM115 - lives with the process
        command = [str(venv_python(self.venv)), "-m", "synapse.app.homeserver"]
        self._process = subprocess.Popen(
            [*command, "-c", str(self._config_path())],
            cwd=self._folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() ends all of it
        )
        log.close()
        self._wait_until_ready()
        self.started_in = time.monotonic() - began

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise SynapseUnavailable(f"Synapse exited at start:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.base_url}/_matrix/client/versions", timeout=2).is_success:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise SynapseUnavailable(
            f"Synapse did not answer in {START_TIMEOUT:.0f} s:\n{self.log_tail()}"
        )

    def log_tail(self, size: int = 4000) -> str:
        if self._folder is None or not (self._folder / "homeserver.out").exists():
            return ""
        return (self._folder / "homeserver.out").read_text(errors="replace")[-size:]

    def register(self, name: str, *, admin: bool = False) -> MatrixUser:
        """Create an account with the shared-secret admin API, as register_new_matrix_user does."""
        url = f"{self.base_url}/_synapse/admin/v1/register"
        nonce = httpx.get(url, timeout=10).json()["nonce"]
        message = "\x00".join([nonce, name, PASSWORD, "admin" if admin else "notadmin"])
        mac = hmac.new(self._shared_secret.encode(), message.encode(), hashlib.sha1).hexdigest()
        body = {"nonce": nonce, "username": name, "password": PASSWORD, "admin": admin, "mac": mac}
        answer = httpx.post(url, json=body, timeout=30)
        answer.raise_for_status()
        made = answer.json()
        return MatrixUser(name, made["user_id"], made["access_token"], made["device_id"])

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The Synapse homeserver used by Chorus's tests.")
    parser.add_argument("--install", action="store_true", help="install the pinned Synapse only")
    parser.add_argument("--run", action="store_true", help="start one and print its URL and users")
    options = parser.parse_args(argv)
    began = time.monotonic()
    venv = ensure_installed()
    print(f"Synapse {SYNAPSE_VERSION} ready in {venv} ({time.monotonic() - began:.1f} s)")
    if options.run:
        with RunningSynapse(venv=venv) as server:
            print(f"started in {server.started_in:.1f} s at {server.base_url}")
            for user in server.users.values():
                print(f"  {user.user_id} {user.access_token}")
            input("press Enter to stop ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
