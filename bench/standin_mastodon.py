"""A stand-in Mastodon server on loopback, for the dispatcher's tests and benchmark.

A real HTTP server (stdlib ``ThreadingHTTPServer``, HTTP/1.1 keep-alive) speaking the part of
Mastodon's API the Mastodon connector uses to publish:

- ``GET  /api/v1/accounts/verify_credentials``
- ``POST /api/v1/statuses`` honouring ``Idempotency-Key`` like Mastodon: the same key from the
  same account returns the status already made, never a second one
- ``GET  /api/v1/accounts/:id/statuses``

with configurable latency and injected faults: 5xx (nothing created), 429 with ``Retry-After``,
and a *timeout after the request was received* (the status IS created, the answer comes too late).
It counts statuses per idempotency key and per text so duplicates can be measured
(``GET /_standin/stats``). Every bearer token ``tok-<n>`` is account ``<n>``; tokens in
``revoked`` get 401.

Run alone: ``python bench/standin_mastodon.py --port 8765 --latency-ms 50 --faults``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import html
import json
import random
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit


@dataclass
class Faults:
    """Chances per POST /statuses (0..1), and the knobs of each fault."""

    error_5xx: float = 0.0
    rate_limited: float = 0.0
    late_answer: float = 0.0
    retry_after_s: float = 1.0
    late_answer_s: float = 4.0  # longer than the client's timeout
    # Faults for the next POSTs, in order: "500", "429", "late", "401", "garbled" (made, but
    # the answer is unreadable), "422".
    forced: list[str] = field(default_factory=list)

    @classmethod
    def usual(cls) -> Faults:
        return cls(error_5xx=0.01, rate_limited=0.01, late_answer=0.005)

    def pick(self, rng: random.Random) -> str:
        if self.forced:
            return self.forced.pop(0)
        roll = rng.random()
        for name, chance in (
            ("500", self.error_5xx),
            ("429", self.rate_limited),
            ("late", self.late_answer),
        ):
            if roll < chance:
                return name
            roll -= chance
        return ""


@dataclass
class Status:
    id: str
    account_id: str
    text: str
    key: str
    created_at: datetime
    reply_to: str = ""  # in_reply_to_id: threads, first comments and inbox answers

    def as_json(self, root: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "in_reply_to_id": self.reply_to or None,
            "created_at": self.created_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "content": f"<p>{html.escape(self.text)}</p>",
            "url": f"{root}/@user{self.account_id}/{self.id}",
            "uri": f"{root}/users/user{self.account_id}/statuses/{self.id}",
            "visibility": "public",
            "account": account_json(self.account_id, root),
            "favourites_count": 0,
            "reblogs_count": 0,
            "replies_count": 0,
        }


def account_json(account_id: str, root: str) -> dict[str, Any]:
    return {
        "id": account_id,
        "acct": f"user{account_id}",
        "username": f"user{account_id}",
        "display_name": f"Stand-in {account_id}",
        "url": f"{root}/@user{account_id}",
        "avatar": "",
        "followers_count": 0,
    }


class Store:
    """Everything the server made, guarded by one lock (keys must be checked and set atomically)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: list[Status] = []
        self.by_key: dict[tuple[str, str], Status] = {}
        self.next_id = 110000000000000000
        self.revoked: set[str] = set()

    def create(
        self, account_id: str, text: str, key: str, reply_to: str = ""
    ) -> tuple[Status, bool]:
        with self.lock:
            if key and (account_id, key) in self.by_key:
                return self.by_key[(account_id, key)], False
            self.next_id += 1
            now = datetime.now(UTC)
            status = Status(str(self.next_id), account_id, text, key, now, reply_to)
            self.statuses.append(status)
            if key:
                self.by_key[(account_id, key)] = status
            return status, True

    def of_account(self, account_id: str, limit: int) -> list[Status]:
        with self.lock:
            mine = [s for s in self.statuses if s.account_id == account_id]
        return list(reversed(mine))[:limit]

    def stats(self) -> dict[str, Any]:
        with self.lock:
            statuses = list(self.statuses)
        per_text = Counter(s.text for s in statuses)
        per_key = Counter(s.key for s in statuses if s.key)
        return {
            "statuses": len(statuses),
            "duplicate_texts": sum(n - 1 for n in per_text.values() if n > 1),
            "duplicate_keys": sum(n - 1 for n in per_key.values() if n > 1),
            "created": [[s.text, s.created_at.timestamp()] for s in statuses],
        }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real server
    server: StandInServer

    def setup(self) -> None:
        super().setup()
        # Headers and body leave in two writes: without this, Nagle's algorithm and the client's
        # delayed ACK add ~40 ms to every answer, which no real server does.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # thousands of requests: keep the bench output readable

    def answer(self, code: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def account(self) -> str | None:
        token = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not token.startswith("tok-") or token in self.server.store.revoked:
            self.answer(401, {"error": "The access token is invalid"})
            return None
        return token.removeprefix("tok-")

    def body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            data = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        return data if isinstance(data, dict) else {}

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if oauth_get(self, url):  # connecting an account: apps, authorise page, instance
            return
        if url.path == "/_standin/stats":
            self.answer(200, self.server.store.stats())
            return
        self.server.wait()
        account_id = self.account()
        if account_id is None:
            return
        if url.path == "/api/v1/accounts/verify_credentials":
            self.answer(200, account_json(account_id, self.server.root))
        elif url.path == f"/api/v1/accounts/{account_id}/statuses":
            limit = int(parse_qs(url.query).get("limit", ["20"])[0])
            statuses = self.server.store.of_account(account_id, limit)
            self.answer(200, [s.as_json(self.server.root) for s in statuses])
        else:
            self.answer(404, {"error": "Record not found"})

    def do_POST(self) -> None:  # noqa: N802
        body = self.body()  # read it first: a keep-alive connection must be left clean
        if oauth_post(self, urlsplit(self.path).path, body):
            return
        if urlsplit(self.path).path != "/api/v1/statuses":
            self.answer(404, {"error": "Record not found"})
            return
        self.server.wait()
        account_id = self.account()
        if account_id is None:
            return
        fault = self.server.faults.pick(self.server.rng)
        if not fault and not self.server.budget.take():
            fault = "429"  # the budget is spent, as Mastodon says it: 429 until the reset
        if fault == "500":
            self.answer(500, {"error": "Internal server error"})
        elif fault == "429":
            retry = str(self.server.faults.retry_after_s)
            self.answer(429, {"error": "Too many requests"}, {"Retry-After": retry})
        elif fault == "401":
            self.answer(401, {"error": "The access token was revoked"})
        elif fault == "422":
            self.answer(422, {"error": "Validation failed: Text is too long"})
        else:
            self.publish(account_id, body, late=fault == "late", garbled=fault == "garbled")

    def publish(self, account_id: str, body: dict[str, Any], *, late: bool, garbled: bool) -> None:
        text = str(body.get("status") or "")
        if not text and not body.get("media_ids"):
            self.answer(422, {"error": "Validation failed: Text can't be blank"})
            return
        key = self.headers.get("Idempotency-Key", "")
        reply_to = str(body.get("in_reply_to_id") or "")
        status, _new = self.server.store.create(account_id, text, key, reply_to)
        if late:
            time.sleep(self.server.faults.late_answer_s)  # made, but the client has given up
        if garbled:
            self.answer(200, "<html>Bad gateway</html>")
            return
        self.answer(200, status.as_json(self.server.root), self.server.budget.headers())


# -- OAuth: what connecting an account needs ------------------------------------------------------
# POST /api/v1/apps registers a client; GET /oauth/authorize shows a page with "Authorize" and
# "Deny" buttons (a browser test clicks them like a person); POST /oauth/authorize redirects to the
# app with ``code`` and ``state``; POST /oauth/token checks the client, the redirect URI and the
# PKCE verifier (S256) and returns ``tok-<n>``, which the API above accepts as account ``<n>``.
# ``server.oauth.account_id`` picks the account that approves; GET /api/v1/instance describes
# the server without a token.


@dataclass
class OAuthApp:
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    scopes: str


@dataclass
class OAuthGrant:
    client_id: str
    redirect_uri: str
    challenge: str
    account_id: str
    scope: str


class OAuthStore:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.apps: dict[str, OAuthApp] = {}
        self.grants: dict[str, OAuthGrant] = {}
        self.account_id = "1"
        self.tokens_issued: list[str] = []
        self.refusals: list[str] = []  # why /oauth/token said no, for tests

    def register(self, redirect_uris: str, scopes: str) -> OAuthApp:
        with self.lock:
            number = len(self.apps) + 1
            app = OAuthApp(
                f"cid-{number}",
                f"csecret-{number}-{uuid.uuid4().hex}",
                redirect_uris.split(),
                scopes,
            )
            self.apps[app.client_id] = app
        return app

    def grant(self, client_id: str, redirect_uri: str, challenge: str, scope: str) -> str:
        code = uuid.uuid4().hex
        with self.lock:
            self.grants[code] = OAuthGrant(
                client_id, redirect_uri, challenge, self.account_id, scope
            )
        return code

    def redeem(self, form: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """The token answer, or an OAuth error; a code is used once whatever happens."""
        with self.lock:
            app = self.apps.get(str(form.get("client_id", "")))
            grant = self.grants.pop(str(form.get("code", "")), None)
        if app is None or not hmac.compare_digest(
            app.client_secret, str(form.get("client_secret", ""))
        ):
            return self._refuse(401, "invalid_client", "Client authentication failed")
        if form.get("grant_type") != "authorization_code" or grant is None:
            return self._refuse(400, "invalid_grant", "The authorization code is invalid")
        if grant.client_id != app.client_id or grant.redirect_uri != form.get("redirect_uri"):
            return self._refuse(400, "invalid_grant", "The redirect URI does not match")
        if s256(str(form.get("code_verifier", ""))) != grant.challenge:
            return self._refuse(400, "invalid_grant", "PKCE verification failed")
        token = f"tok-{grant.account_id}"
        self.tokens_issued.append(token)
        body = {"access_token": token, "token_type": "Bearer", "scope": grant.scope}
        return 200, {**body, "created_at": int(time.time())}

    def _refuse(self, code: int, error: str, description: str) -> tuple[int, dict[str, Any]]:
        self.refusals.append(description)
        return code, {"error": error, "error_description": description}


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def oauth_get(handler: Handler, url: Any) -> bool:
    """Answer the OAuth and instance GETs; False for anything else."""
    if url.path == "/api/v1/instance":
        root = handler.server.root
        handler.answer(200, {"uri": root.split("://")[1], "title": "Stand-in", "version": "4.3.0"})
        return True
    if url.path != "/oauth/authorize":
        return False
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    problem = _authorize_problem(handler.server.oauth, query)
    if problem:
        _html(handler, 400, f"<h1>Authorization error</h1><p>{html.escape(problem)}</p>")
    else:
        _html(handler, 200, _authorize_page(handler.server.oauth, query))
    return True


def _authorize_problem(oauth: OAuthStore, query: dict[str, str]) -> str:
    app = oauth.apps.get(query.get("client_id", ""))
    if app is None:
        return "Client authentication failed"
    if query.get("redirect_uri") not in app.redirect_uris:
        return "The redirect URI included is not valid."
    if query.get("response_type") != "code":
        return "The authorization server does not support this response type."
    if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
        return "Code challenge is required (S256)."
    return ""


def _authorize_page(oauth: OAuthStore, query: dict[str, str]) -> str:
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in query.items()
    )
    scopes = "".join(f"<li>{html.escape(s)}</li>" for s in query.get("scope", "").split())
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Authorization required</title>"
        "<style>body{font-family:system-ui,sans-serif;background:#282c37;color:#fff;display:grid;"
        "place-items:center;min-height:100vh;margin:0}main{background:#313543;padding:2rem;"
        "border-radius:8px;width:420px}button{font:inherit;padding:.6rem 1.2rem;border-radius:4px;"
        "border:0;margin-right:.5rem;cursor:pointer}.allow{background:#6364ff;color:#fff}</style>"
        "</head><body><main><h1>Authorization required</h1>"
        f"<p>Chorus would like to access your account <b>@user{html.escape(oauth.account_id)}</b>."
        f"</p><ul>{scopes}</ul><form method='post' action='/oauth/authorize'>{hidden}"
        "<button class='allow' name='decision' value='allow'>Authorize</button>"
        "<button class='deny' name='decision' value='deny'>Deny</button></form>"
        "</main></body></html>"
    )


def oauth_post(handler: Handler, path: str, body: dict[str, Any]) -> bool:
    """Answer the OAuth POSTs; False for anything else."""
    oauth = handler.server.oauth
    if path == "/api/v1/apps":
        app = oauth.register(str(body.get("redirect_uris", "")), str(body.get("scopes", "read")))
        handler.answer(
            200,
            {
                "id": app.client_id.removeprefix("cid-"),
                "name": str(body.get("client_name", "")),
                "redirect_uri": " ".join(app.redirect_uris),
                "client_id": app.client_id,
                "client_secret": app.client_secret,
            },
        )
    elif path == "/oauth/authorize":
        _decide(handler, oauth, {k: str(v) for k, v in body.items()})
    elif path == "/oauth/token":
        code, answer = oauth.redeem(body)
        handler.answer(code, answer)
    else:
        return False
    return True


def _decide(handler: Handler, oauth: OAuthStore, form: dict[str, str]) -> None:
    problem = _authorize_problem(oauth, form)
    if problem:
        _html(handler, 400, f"<p>{html.escape(problem)}</p>")
        return
    back = {"state": form.get("state", "")}
    if form.get("decision") == "allow":
        back["code"] = oauth.grant(
            form["client_id"], form["redirect_uri"], form["code_challenge"], form.get("scope", "")
        )
    else:
        back.update(error="access_denied", error_description="The user denied the request")
    separator = "&" if "?" in form["redirect_uri"] else "?"
    handler.send_response(302)
    handler.send_header("Location", f"{form['redirect_uri']}{separator}{urlencode(back)}")
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def _html(handler: Handler, code: int, page: str) -> None:
    data = page.encode()
    handler.send_response(code)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


@dataclass
class Budget:
    """Mastodon's rate limit on new posts, off unless ``limit`` is set: every answer to a POST
    carries X-RateLimit-Limit/-Remaining/-Reset, and a spent budget answers 429 until the reset.
    ``refused`` counts those 429s, so a test can prove the client waited instead."""

    limit: int | None = None
    remaining: int = 0
    reset_in_s: float = 60.0
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> bool:
        with self.lock:
            if self.limit is None:
                return True
            if self.remaining <= 0:
                self.refused += 1
                return False
            self.remaining -= 1
            return True

    def headers(self) -> dict[str, str]:
        if self.limit is None:
            return {}
        reset = datetime.fromtimestamp(time.time() + self.reset_in_s, UTC)
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(self.remaining, 0)),
            "X-RateLimit-Reset": reset.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }


class StandInServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024

    def __init__(self, port: int = 0, latency_ms: float = 0.0, faults: Faults | None = None):
        super().__init__(("127.0.0.1", port), Handler)
        self.latency_s = latency_ms / 1000
        self.faults = faults or Faults()
        self.store = Store()
        self.oauth = OAuthStore()
        self.budget = Budget()
        self.rng = random.Random(1234)  # noqa: S311 - repeatable faults, not security

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def wait(self) -> None:
        if self.latency_s:
            time.sleep(self.latency_s)


class StandIn:
    """The server in a background thread: ``with StandIn() as server: server.root``."""

    def __init__(self, latency_ms: float = 0.0, faults: Faults | None = None, port: int = 0):
        self.server = StandInServer(port, latency_ms, faults)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StandInServer:
        self.thread.start()
        return self.server

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def running(latency_ms: float = 0.0, faults: Faults | None = None) -> Iterator[StandInServer]:
    """For pytest fixtures: ``yield from running()``."""
    with StandIn(latency_ms, faults) as server:
        yield server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--faults", action="store_true", help="inject the usual faults")
    parser.add_argument("--late-answer-s", type=float, default=4.0)
    args = parser.parse_args()
    faults = Faults.usual() if args.faults else Faults()
    faults.late_answer_s = args.late_answer_s
    server = StandInServer(args.port, args.latency_ms, faults)
    print(f"listening on {server.root}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
