"""The `chorus` command: serve, web, worker, migrate, createuser, demo, check, classify, report,
verify-draw."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence

DEFAULT_BIND = "127.0.0.1:8000"


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    _django_setup()
    from django.core.management import call_command

    call_command(*args)


def cmd_migrate(_args: argparse.Namespace) -> int:
    _manage("migrate", "--no-input")
    _manage("createcachetable")
    return 0


def _web_command(bind: str, workers: int, threads: int = 4) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "chorus.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        # gthread even with one thread: it keeps connections alive (the sync worker does not).
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
    ]


def _worker_command(periodic: bool) -> list[str]:
    command = [sys.executable, "-m", "chorus.cli", "worker"]
    return command if periodic else [*command, "--no-periodic"]


def cmd_web(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings")
    os.execv(sys.executable, _web_command(args.bind, args.workers, args.threads))  # noqa: S606
    return 0  # not reached: exec replaces this process


def cmd_worker(args: argparse.Namespace) -> int:
    # Without --workers, Huey takes the thread count from settings (CHORUS_WORKER_THREADS).
    options = ["run_huey"] + (["--workers", str(args.workers)] if args.workers else [])
    if not args.periodic:
        options.append("--no-periodic")
    _django_setup()
    _beat_and_watch_the_others()
    _manage(*options)
    return 0


def _beat_and_watch_the_others() -> None:
    """This worker beats continuously; when another falls silent (killed, its machine gone),
    the posts it held go back to the queue within seconds (chorus/publishing/sweeper.py)."""
    from chorus.core.heartbeats import keep_beating
    from chorus.publishing import sweeper, tasks

    keep_beating(lambda now: sweeper.hand_back_from_silent_workers(now, tasks.enqueue_batch))


def cmd_serve(args: argparse.Namespace) -> int:
    """Web server and worker together, for a laptop: one command, Ctrl-C stops both."""
    cmd_migrate(args)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "chorus.settings"}
    children = [
        subprocess.Popen(_web_command(args.bind, args.workers, args.threads), env=env),  # noqa: S603
        subprocess.Popen(_worker_command(periodic=True), env=env),  # noqa: S603
    ]
    print(f"\nChorus is running at http://{args.bind}/  (Ctrl-C stops it)\n", flush=True)
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping and all(child.poll() is None for child in children):
        time.sleep(0.3)
    return _stop_children(children)


def _stop_children(children: list[subprocess.Popen[bytes]]) -> int:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
    print("Chorus stopped.", flush=True)
    return 0


def cmd_createuser(args: argparse.Namespace) -> int:
    options = ["chorus_createuser", "--email", args.email]
    if args.name:
        options += ["--name", args.name]
    if args.workspace:
        options += ["--workspace", args.workspace]
    _manage(*options)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    _manage("chorus_demo", *(["--reset"] if args.reset else []))
    return 0


def cmd_check(_args: argparse.Namespace) -> int:
    _manage("chorus_check")
    return 0


def cmd_classify(_args: argparse.Namespace) -> int:
    from chorus.classify.cli import run

    return run(sys.stdin, sys.stdout)


def cmd_report(args: argparse.Namespace) -> int:
    """Build a report and write one format to a file (the same report the pages build)."""
    _django_setup()
    from chorus.analytics.reports.command import write_report

    return write_report(args.workspace, args.period, args.format, args.out, args.sections)


def cmd_verify_draw(args: argparse.Namespace) -> int:
    """Re-run a contest's draw from its public certificate (no database needed)."""
    from chorus.engagement.verify_draw import run

    return run(args.certificate, sys.stdout, sys.stdin)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chorus", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: object, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    for name, handler, help_text in (
        ("serve", cmd_serve, "Migrate, then run the web server and a worker together."),
        ("web", cmd_web, "Run only the web server (gunicorn)."),
    ):
        p = add(name, handler, help_text)
        p.add_argument("--bind", default=os.environ.get("CHORUS_BIND", DEFAULT_BIND))
        p.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("CHORUS_WEB_WORKERS", "2")),
            help="web processes",
        )
        p.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("CHORUS_WEB_THREADS", "4")),
            help="threads per web process",
        )
    worker = add("worker", cmd_worker, "Run a background worker (Huey consumer).")
    worker.add_argument(
        "--workers", type=int, default=0, help="threads in this worker (default: settings)"
    )
    worker.add_argument(
        "--no-periodic",
        dest="periodic",
        action="store_false",
        help="do not run periodic tasks (run them on exactly one worker)",
    )
    add("migrate", cmd_migrate, "Create or update the database tables.")
    user = add("createuser", cmd_createuser, "Create a person who can sign in.")
    user.add_argument("--email", required=True)
    user.add_argument("--name", default="")
    user.add_argument("--workspace", default="", help="also create this workspace, owned by them")
    demo = add("demo", cmd_demo, "Create a demo workspace to look around (no real network).")
    demo.add_argument("--reset", action="store_true", help="delete and recreate the demo")
    add("check", cmd_check, "Check configuration, database and worker; exit 1 on a problem.")
    add("classify", cmd_classify, "Classify one text per line from stdin; JSON lines on stdout.")
    report = add("report", cmd_report, "Build a workspace's analytics report into a file.")
    report.add_argument("--workspace", required=True, help="the workspace's slug")
    report.add_argument(
        "--period",
        required=True,
        help="2026-11 (a month), 2026-W47 (a week) or 2026-11-03..2026-11-16",
    )
    report.add_argument("--format", required=True, choices=["pdf", "csv", "pptx"])
    report.add_argument("--out", required=True, help="the file to write (- for standard output)")
    report.add_argument(
        "--sections", default="", help="comma-separated, e.g. overview,top_posts (default: all)"
    )
    verify_draw = add(
        "verify-draw", cmd_verify_draw, "Verify a contest draw's certificate; exit 1 if it fails."
    )
    verify_draw.add_argument("certificate", help="the certificate JSON file (- for standard input)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    finally:
        _announce_writes()


def _announce_writes() -> None:
    """A command's writes outside a transaction (``chorus demo`` while the server runs) make
    the web processes' kept pages afresh now rather than within their minute."""
    from django.apps import apps

    if apps.ready:
        from chorus.core import writes

        writes.announce()


if __name__ == "__main__":
    sys.exit(main())
